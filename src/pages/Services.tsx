import React, { useCallback, useMemo, useState } from 'react';
import { Alert, Badge, Button, FilterInput, InlineSwitch, InteractiveTable, Stack, Switch, Text } from '@grafana/ui';

import { InternalLink } from '../components/InternalLink';
import { DetectorStateBadge } from '../components/DetectorStateBadge';
import { LoadState } from '../components/LoadState';
import { SeismoPage } from '../components/SeismoPage';
import { SidecarErrorAlert } from '../components/SidecarErrorAlert';
import type { SeismoConnection } from '../components/useSeismoClient';
import { useSidecarData } from '../components/useSidecarData';
import type { AppSettings } from '../types';
import type { SidecarClient } from './api/SidecarClient';
import type { Selection } from './api/sidecarTypes';
import { formatPercent } from './format/formatPercent';
import { buildServiceRows, type ServiceRow } from './services/buildServiceRows';
import { changeOverride } from './services/changeOverride';
import { serviceDashboardUrl } from './services/serviceDashboardUrl';

interface Props {
  settings: AppSettings;
}

export function Services({ settings }: Props) {
  return (
    <SeismoPage settings={settings} testId="seismo-services">
      {(connection) => <ServicesContent connection={connection} />}
    </SeismoPage>
  );
}

async function loadServices(client: SidecarClient) {
  const [selection, services] = await Promise.all([client.selection(), client.services()]);
  return { selection, services: services.services ?? [] };
}

type SaveState =
  | { status: 'idle' }
  | { status: 'saving'; service: string }
  | { status: 'saved'; message: string }
  | { status: 'failed'; error: unknown };

function ServicesContent({ connection }: { connection: SeismoConnection }) {
  const { client } = connection;
  const load = useCallback(() => loadServices(client), [client]);
  const data = useSidecarData(load, 30_000);
  const [save, setSave] = useState<SaveState>({ status: 'idle' });

  const apply = async (selection: Selection, row: ServiceRow, change: 'include' | 'exclude' | 'rules') => {
    setSave({ status: 'saving', service: row.service });
    try {
      await client.saveSelection(changeOverride(selection.overrides ?? {}, row.service, change));
      setSave({
        status: 'saved',
        message:
          change === 'rules'
            ? `${row.service} follows the config's rules again.`
            : change === 'include'
              ? `${row.service} is monitored from the sidecar's next cycle.`
              : `${row.service} is no longer monitored; its series end at the next cycle.`,
      });
      data.reload();
    } catch (error: unknown) {
      setSave({ status: 'failed', error });
    }
  };

  return (
    <LoadState data={data} datasourceUid={client.datasourceUid} loadingText="Loading the monitored services">
      {({ selection, services }) => (
        <Stack direction="column" gap={2}>
          <Text color="secondary">
            A service is monitored when it matches the sidecar config&apos;s selection rules. Switching it on or off
            here stores an override in the sidecar&apos;s state directory, which survives restarts; &quot;Use config
            rules&quot; removes the override.
          </Text>
          {save.status === 'saved' && (
            <Alert severity="success" title="Selection saved" onRemove={() => setSave({ status: 'idle' })}>
              {save.message}
            </Alert>
          )}
          {save.status === 'failed' && <SidecarErrorAlert error={save.error} datasourceUid={client.datasourceUid} />}
          <ServiceTable
            rows={buildServiceRows(selection, services)}
            busyService={save.status === 'saving' ? save.service : undefined}
            onChange={(row, change) => apply(selection, row, change)}
          />
        </Stack>
      )}
    </LoadState>
  );
}

interface TableProps {
  rows: ServiceRow[];
  busyService?: string;
  onChange: (row: ServiceRow, change: 'include' | 'exclude' | 'rules') => void;
}

function ServiceTable({ rows, busyService, onChange }: TableProps) {
  const [filter, setFilter] = useState('');
  const [monitoredOnly, setMonitoredOnly] = useState(false);
  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return rows.filter(
      (row) =>
        (!monitoredOnly || row.monitored) &&
        (needle === '' ||
          row.service.toLowerCase().includes(needle) ||
          row.namespace.toLowerCase().includes(needle) ||
          row.team.toLowerCase().includes(needle))
    );
  }, [rows, filter, monitoredOnly]);

  if (rows.length === 0) {
    return (
      <Alert severity="info" title="The sidecar has not discovered any service yet">
        Services appear once Prometheus holds telemetry for them from one of the configured presets (telemetry.presets
        in the sidecar config).
      </Alert>
    );
  }
  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" gap={2} alignItems="center">
        <FilterInput
          placeholder="Filter by service, namespace or team"
          value={filter}
          onChange={setFilter}
          width={48}
        />
        <InlineSwitch
          label="Monitored only"
          showLabel
          value={monitoredOnly}
          onChange={(event) => setMonitoredOnly(event.currentTarget.checked)}
        />
        <Text color="secondary">
          {rows.filter((r) => r.monitored).length} of {rows.length} monitored
        </Text>
      </Stack>
      <InteractiveTable
        getRowId={(row: ServiceRow) => row.service}
        data={shown}
        pageSize={50}
        columns={[
          {
            id: 'service',
            header: 'Service',
            sortType: 'string',
            cell: ({ row }) => (
              <InternalLink href={serviceDashboardUrl(row.original.service, row.original.namespace)}>
                {row.original.service}
              </InternalLink>
            ),
          },
          { id: 'namespace', header: 'Namespace', sortType: 'string' },
          { id: 'team', header: 'Team', sortType: 'string' },
          {
            id: 'monitored',
            header: 'Monitored',
            cell: ({ row }) => (
              <Stack direction="row" gap={1} alignItems="center">
                <Switch
                  aria-label={`Monitor ${row.original.service}`}
                  value={row.original.monitored}
                  disabled={busyService !== undefined}
                  onChange={() => onChange(row.original, row.original.monitored ? 'exclude' : 'include')}
                />
                {row.original.override && (
                  <>
                    <Badge color="blue" text={`override: ${row.original.override}`} />
                    <Button
                      size="sm"
                      variant="secondary"
                      fill="text"
                      disabled={busyService !== undefined}
                      onClick={() => onChange(row.original, 'rules')}
                    >
                      Use config rules
                    </Button>
                  </>
                )}
              </Stack>
            ),
          },
          { id: 'reason', header: 'Decided by' },
          {
            id: 'state',
            header: 'Detector',
            cell: ({ row }) =>
              row.original.state ? (
                <span title={row.original.reasons.join('; ')}>
                  <DetectorStateBadge state={row.original.state} /> {row.original.detector ?? ''}
                </span>
              ) : (
                <Text color="secondary">not monitored</Text>
              ),
          },
          {
            id: 'score',
            header: 'Score / threshold',
            sortType: 'number',
            cell: ({ row }) =>
              row.original.state
                ? `${formatPercent(row.original.score)} / ${formatPercent(row.original.threshold)}`
                : '',
          },
          {
            id: 'trust',
            header: 'Trust',
            sortType: 'number',
            cell: ({ row }) => (row.original.state ? formatPercent(row.original.trust) : ''),
          },
        ]}
      />
    </Stack>
  );
}
