import React, { useCallback } from 'react';
import { Alert, InteractiveTable, Stack, Text } from '@grafana/ui';

import { LoadState } from '../components/LoadState';
import { SeismoPage } from '../components/SeismoPage';
import type { SeismoConnection } from '../components/useSeismoClient';
import { useSidecarData } from '../components/useSidecarData';
import type { AppSettings } from '../types';
import type { SidecarClient } from './api/SidecarClient';
import type { ModelInfo } from './api/sidecarTypes';
import { formatNumber } from './format/formatNumber';
import { formatPercent } from './format/formatPercent';
import { describeManifest, type ManifestFact } from './models/describeManifest';
import { type ForecastQualityRow, summarizeForecastQuality } from './models/summarizeForecastQuality';

interface Props {
  settings: AppSettings;
}

export function Models({ settings }: Props) {
  return (
    <SeismoPage settings={settings} testId="seismo-models">
      {(connection) => <ModelsContent connection={connection} />}
    </SeismoPage>
  );
}

async function loadModels(client: SidecarClient) {
  const [models, forecasts] = await Promise.all([client.models(), client.forecasts()]);
  return { models: models.models ?? [], lastError: models.lastError ?? null, targets: forecasts.targets ?? [] };
}

function ModelsContent({ connection }: { connection: SeismoConnection }) {
  const { client } = connection;
  const load = useCallback(() => loadModels(client), [client]);
  const data = useSidecarData(load, 60_000);
  return (
    <LoadState data={data} datasourceUid={client.datasourceUid} loadingText="Loading models and forecasters">
      {({ models, lastError, targets }) => (
        <Stack direction="column" gap={3}>
          {lastError && (
            <Alert severity="warning" title="The last model load was refused; the previous model stays in use">
              {lastError}
            </Alert>
          )}
          <section>
            <h3>Loaded models</h3>
            {models.length === 0 ? (
              <Text color="secondary">
                No model is loaded: every service is scored by the univariate detector (state fallback). Check
                detection.modelDir in the sidecar config.
              </Text>
            ) : (
              <ModelTable client={client} models={models} />
            )}
          </section>
          <section>
            <h3>Forecaster quality</h3>
            <ForecastQualityView rows={targets} />
          </section>
        </Stack>
      )}
    </LoadState>
  );
}

function ModelTable({ client, models }: { client: SidecarClient; models: ModelInfo[] }) {
  return (
    <InteractiveTable
      getRowId={(model: ModelInfo) => model.modelId}
      data={models}
      renderExpandedRow={(model) => <ManifestDetails client={client} modelId={model.modelId} />}
      columns={[
        { id: 'modelId', header: 'Model' },
        { id: 'kind', header: 'Kind' },
        { id: 'entity', header: 'Scope', cell: ({ row }) => row.original.entity ?? 'shared by all services' },
        {
          id: 'window',
          header: 'Window',
          cell: ({ row }) =>
            row.original.windowLength !== undefined
              ? `${row.original.windowLength} × ${row.original.stepSeconds ?? '?'} s`
              : '–',
        },
        { id: 'signals', header: 'Signals', cell: ({ row }) => String(row.original.signals?.length ?? '–') },
        {
          id: 'thresholdScore',
          header: 'Score threshold',
          cell: ({ row }) => formatNumber(row.original.thresholdScore, 3),
        },
        { id: 'dataSource', header: 'Trained on' },
        { id: 'trainedAt', header: 'Trained', cell: ({ row }) => row.original.trainedAt ?? '–' },
        { id: 'servicesScored', header: 'Services scored' },
      ]}
    />
  );
}

function ManifestDetails({ client, modelId }: { client: SidecarClient; modelId: string }) {
  const load = useCallback(() => client.manifest(modelId).then(describeManifest), [client, modelId]);
  const data = useSidecarData(load);
  return (
    <LoadState data={data} datasourceUid={client.datasourceUid} loadingText="Loading the manifest">
      {(description) => (
        <Stack direction="row" gap={4} wrap="wrap">
          <FactList title="Model" facts={description.model} />
          <FactList title="Calibration" facts={description.calibration} />
          <FactList title="Training provenance" facts={description.provenance} />
        </Stack>
      )}
    </LoadState>
  );
}

function FactList({ title, facts }: { title: string; facts: ManifestFact[] }) {
  return (
    <div style={{ flex: '1 1 320px' }}>
      <h4>{title}</h4>
      {facts.length === 0 ? (
        <Text color="secondary">Not recorded in the manifest.</Text>
      ) : (
        <dl>
          {facts.map((fact) => (
            <React.Fragment key={fact.label}>
              <dt>
                <Text color="secondary">{fact.label}</Text>
              </dt>
              <dd style={{ wordBreak: 'break-all' }}>{fact.value}</dd>
            </React.Fragment>
          ))}
        </dl>
      )}
    </div>
  );
}

function ForecastQualityView({ rows: targets }: { rows: Parameters<typeof summarizeForecastQuality>[0] }) {
  if (targets.length === 0) {
    return (
      <Text color="secondary">
        No forecast targets: forecasting is off (forecast.enabled) or no service has enough history yet.
      </Text>
    );
  }
  const quality = summarizeForecastQuality(targets);
  return (
    <Stack direction="column" gap={1}>
      <Text color="secondary">
        {quality.counts.total} targets: {quality.counts.ok} ok, {quality.counts.fallback} on the robust band,{' '}
        {quality.counts.warmup} warming up. Median MASE {formatNumber(quality.medianMase, 2)} (below 1 beats seasonal
        naive); {quality.lowCoverage} with interval coverage below 80 %.
      </Text>
      <InteractiveTable
        getRowId={(row: ForecastQualityRow) => `${row.target}:${row.signal}`}
        data={quality.rows}
        pageSize={25}
        columns={[
          { id: 'target', header: 'Target' },
          { id: 'signal', header: 'Signal' },
          { id: 'state', header: 'State' },
          { id: 'model', header: 'Model', cell: ({ row }) => row.original.model ?? '–' },
          {
            id: 'mae',
            header: 'MAE',
            cell: ({ row }) => `${formatNumber(row.original.mae, 4)} ${row.original.unit ?? ''}`,
          },
          { id: 'mape', header: 'MAPE', cell: ({ row }) => formatPercent(row.original.mape) },
          { id: 'mase', header: 'MASE', cell: ({ row }) => formatNumber(row.original.mase, 2) },
          { id: 'coverage', header: 'Coverage', cell: ({ row }) => formatPercent(row.original.coverage) },
          { id: 'trust', header: 'Trust', cell: ({ row }) => formatPercent(row.original.trust) },
          { id: 'warnings', header: 'Attention', cell: ({ row }) => row.original.warnings.join('; ') },
        ]}
      />
    </Stack>
  );
}
