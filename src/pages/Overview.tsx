import React, { useCallback } from 'react';
import { dataFrameFromJSON } from '@grafana/data';
import { Alert, EmptyState, InteractiveTable, Stack, Text } from '@grafana/ui';

import { InternalLink } from '../components/InternalLink';
import { DetectorStateBadge } from '../components/DetectorStateBadge';
import { EmbeddedPanel } from '../components/EmbeddedPanel';
import { LoadState } from '../components/LoadState';
import { SeismoPage } from '../components/SeismoPage';
import { SeverityBadge } from '../components/SeverityBadge';
import type { SeismoConnection } from '../components/useSeismoClient';
import { useSidecarData } from '../components/useSidecarData';
import { plugin as topologyPlugin } from '../panels/topology/module';
import { type AppSettings, appUrl, ROUTES } from '../types';
import type { SidecarClient } from './api/SidecarClient';
import type { EdgeStatus, IncidentSummary, ServiceStatus, SidecarStatus } from './api/sidecarTypes';
import { formatDuration } from './format/formatDuration';
import { formatPercent } from './format/formatPercent';
import { formatUnixTime } from './format/formatUnixTime';
import { type NotReadyDetector, type OverviewSummary, summarizeOverview } from './overview/summarizeOverview';
import { serviceDashboardUrl } from './services/serviceDashboardUrl';

const REFRESH_MS = 30_000;

interface Props {
  settings: AppSettings;
  /** Unix milliseconds; injected by tests. */
  now?: () => number;
}

export function Overview({ settings, now = Date.now }: Props) {
  return (
    <SeismoPage settings={settings} testId="seismo-overview">
      {(connection) => <OverviewContent connection={connection} now={now} />}
    </SeismoPage>
  );
}

interface Loaded {
  status: SidecarStatus;
  summary: OverviewSummary;
}

async function loadOverview(client: SidecarClient): Promise<Loaded> {
  const [status, incidents, services, edges] = await Promise.all([
    client.status(),
    client.incidents({ state: 'open' }),
    client.services(),
    client.edges(),
  ]);
  return {
    status,
    summary: summarizeOverview({
      incidents: incidents.incidents ?? [],
      services: services.services ?? [],
      edges: edges.edges ?? [],
    }),
  };
}

function OverviewContent({ connection, now }: { connection: SeismoConnection; now: () => number }) {
  const { client, chosen } = connection;
  const load = useCallback(() => loadOverview(client), [client]);
  const overview = useSidecarData(load, REFRESH_MS);
  const loadTopology = useCallback(
    () => client.topology().then((answer) => (answer.frames ?? []).map(dataFrameFromJSON)),
    [client]
  );
  const topology = useSidecarData(loadTopology, REFRESH_MS);

  return (
    <Stack direction="column" gap={3}>
      {!chosen && (
        <Alert severity="info" title={`Reading the only Seismo datasource (${client.datasourceUid})`}>
          Choose it on the configuration page to keep using it when a second one is added.
        </Alert>
      )}
      <LoadState data={overview} datasourceUid={client.datasourceUid} loadingText="Loading the sidecar's current state">
        {({ status, summary }) => (
          <Stack direction="column" gap={3}>
            <SidecarStatusLine status={status} now={now} />
            <section>
              <h3>Open incidents</h3>
              <OpenIncidents incidents={summary.openIncidents} now={now} />
            </section>
            <Stack direction="row" gap={3} wrap="wrap">
              <section style={{ flex: '1 1 420px' }}>
                <h3>Highest service scores</h3>
                <ServiceScores services={summary.anomalousServices} />
              </section>
              <section style={{ flex: '1 1 420px' }}>
                <h3>Highest call edge scores</h3>
                <EdgeScores edges={summary.anomalousEdges} />
              </section>
            </Stack>
            <section>
              <h3>Detectors without a verdict</h3>
              <NotReady detectors={summary.notReady} />
            </section>
          </Stack>
        )}
      </LoadState>
      <section>
        <h3>Service topology</h3>
        <LoadState data={topology} datasourceUid={client.datasourceUid} loadingText="Loading the call graph">
          {(frames) => <EmbeddedPanel plugin={topologyPlugin} series={frames} height={480} title="Service topology" />}
        </LoadState>
      </section>
    </Stack>
  );
}

function SidecarStatusLine({ status, now }: { status: SidecarStatus; now: () => number }) {
  const cycle = status.lastCycle;
  if (!cycle) {
    return (
      <Alert severity="info" title="The sidecar has not completed a detection cycle yet">
        Results appear after its first cycle; the sidecar log says what it is waiting for.
      </Alert>
    );
  }
  const age = Math.max(0, now() / 1000 - cycle.at);
  return (
    <Stack direction="column" gap={1}>
      {!cycle.prometheusUp && (
        <Alert severity="warning" title="The sidecar cannot reach Prometheus">
          Scores and incidents are not being updated. {cycle.error ?? ''} Check the sidecar&apos;s prometheus.url and
          credentials.
        </Alert>
      )}
      <Text color="secondary">
        Sidecar {status.version ?? ''}
        {status.shard && status.shard.count > 1 ? `, shard ${status.shard.index + 1} of ${status.shard.count}` : ''}
        {`, last cycle ${formatDuration(age)} ago (${formatDuration(cycle.durationSeconds)} long)`}
      </Text>
      {(status.notes ?? []).map((note) => (
        <Text key={note} color="secondary">
          {note}
        </Text>
      ))}
    </Stack>
  );
}

function OpenIncidents({ incidents, now }: { incidents: IncidentSummary[]; now: () => number }) {
  if (incidents.length === 0) {
    return <EmptyState variant="completed" message="No open incidents" />;
  }
  return (
    <InteractiveTable
      getRowId={(incident: IncidentSummary) => incident.id}
      data={incidents}
      columns={[
        { id: 'severity', header: 'Severity', cell: ({ row }) => <SeverityBadge severity={row.original.severity} /> },
        {
          id: 'id',
          header: 'Incident',
          cell: ({ row }) => (
            <InternalLink href={appUrl(ROUTES.incidents, row.original.id)}>{row.original.id}</InternalLink>
          ),
        },
        {
          id: 'openedAt',
          header: 'Open for',
          cell: ({ row }) => (
            <span title={formatUnixTime(row.original.openedAt)}>
              {formatDuration(now() / 1000 - row.original.openedAt)}
            </span>
          ),
        },
        { id: 'rootCause', header: 'Top root cause', cell: ({ row }) => row.original.rootCause ?? 'not ranked yet' },
        {
          id: 'affected',
          header: 'Affected',
          cell: ({ row }) => row.original.affectedEntities.join(', '),
        },
        { id: 'summary', header: 'Summary' },
      ]}
    />
  );
}

function ServiceScores({ services }: { services: ServiceStatus[] }) {
  if (services.length === 0) {
    return <Text color="secondary">No service has a score yet.</Text>;
  }
  return (
    <InteractiveTable
      getRowId={(s: ServiceStatus) => s.service}
      data={services}
      columns={[
        {
          id: 'service',
          header: 'Service',
          cell: ({ row }) => (
            <InternalLink href={serviceDashboardUrl(row.original.service, row.original.namespace)}>
              {row.original.service}
            </InternalLink>
          ),
        },
        {
          id: 'score',
          header: 'Score / threshold',
          cell: ({ row }) =>
            `${formatPercent(row.original.score)} / ${formatPercent(row.original.threshold)}${row.original.anomalous ? ' (anomalous)' : ''}`,
        },
        {
          id: 'topContributions',
          header: 'Driven by',
          cell: ({ row }) =>
            (row.original.topContributions ?? []).map((c) => `${c.signal} ${formatPercent(c.share)}`).join(', '),
        },
        { id: 'state', header: 'Detector', cell: ({ row }) => <DetectorStateBadge state={row.original.state} /> },
      ]}
    />
  );
}

function EdgeScores({ edges }: { edges: EdgeStatus[] }) {
  if (edges.length === 0) {
    return <Text color="secondary">No call edge has a score yet.</Text>;
  }
  return (
    <InteractiveTable
      getRowId={(e: EdgeStatus) => `${e.client}->${e.server}`}
      data={edges}
      columns={[
        { id: 'edge', header: 'Call edge', cell: ({ row }) => `${row.original.client} → ${row.original.server}` },
        {
          id: 'score',
          header: 'Score',
          cell: ({ row }) => `${formatPercent(row.original.score)}${row.original.anomalous ? ' (anomalous)' : ''}`,
        },
        { id: 'state', header: 'Detector', cell: ({ row }) => <DetectorStateBadge state={row.original.state} /> },
      ]}
    />
  );
}

function NotReady({ detectors }: { detectors: NotReadyDetector[] }) {
  if (detectors.length === 0) {
    return <Text color="secondary">Every detector is scoring.</Text>;
  }
  return (
    <InteractiveTable
      getRowId={(d: NotReadyDetector) => `${d.kind}:${d.name}`}
      data={detectors}
      pageSize={10}
      columns={[
        { id: 'name', header: 'Service or edge' },
        { id: 'state', header: 'State', cell: ({ row }) => <DetectorStateBadge state={row.original.state} /> },
        { id: 'reasons', header: 'Why', cell: ({ row }) => row.original.reasons.join('; ') },
      ]}
    />
  );
}
