import React, { useCallback, useState } from 'react';
import { EmptyState, InteractiveTable, RadioButtonGroup, Stack, Text } from '@grafana/ui';

import { InternalLink } from '../components/InternalLink';
import { LoadState } from '../components/LoadState';
import { SeismoPage } from '../components/SeismoPage';
import { SeverityBadge } from '../components/SeverityBadge';
import type { SeismoConnection } from '../components/useSeismoClient';
import { useSidecarData } from '../components/useSidecarData';
import { type AppSettings, appUrl, ROUTES } from '../types';
import type { IncidentSummary } from './api/sidecarTypes';
import { formatDuration } from './format/formatDuration';
import { formatNumber } from './format/formatNumber';
import { formatUnixTime } from './format/formatUnixTime';
import { orderIncidents } from './incidents/orderIncidents';

interface Props {
  settings: AppSettings;
  now?: () => number;
}

const RANGES = [
  { label: 'Last 24 hours', value: 'now-24h' },
  { label: 'Last 7 days', value: 'now-7d' },
];
const STATES = [
  { label: 'All', value: 'all' as const },
  { label: 'Open', value: 'open' as const },
  { label: 'Closed', value: 'closed' as const },
];

export function Incidents({ settings, now = Date.now }: Props) {
  return (
    <SeismoPage settings={settings} testId="seismo-incidents">
      {(connection) => <IncidentList connection={connection} now={now} />}
    </SeismoPage>
  );
}

function IncidentList({ connection, now }: { connection: SeismoConnection; now: () => number }) {
  const { client } = connection;
  const [from, setFrom] = useState('now-24h');
  const [state, setState] = useState<'all' | 'open' | 'closed'>('all');
  const load = useCallback(
    () => client.incidents({ state, from }).then((answer) => orderIncidents(answer.incidents ?? [])),
    [client, state, from]
  );
  const data = useSidecarData(load, 30_000);

  return (
    <Stack direction="column" gap={2}>
      <Stack direction="row" gap={2}>
        <RadioButtonGroup options={STATES} value={state} onChange={setState} />
        <RadioButtonGroup options={RANGES} value={from} onChange={setFrom} />
      </Stack>
      <LoadState data={data} datasourceUid={client.datasourceUid} loadingText="Loading incidents">
        {(incidents) =>
          incidents.length === 0 ? (
            <EmptyState variant="completed" message="No incidents in this range" />
          ) : (
            <IncidentTable incidents={incidents} now={now} />
          )
        }
      </LoadState>
    </Stack>
  );
}

function IncidentTable({ incidents, now }: { incidents: IncidentSummary[]; now: () => number }) {
  return (
    <InteractiveTable
      getRowId={(incident: IncidentSummary) => incident.id}
      data={incidents}
      pageSize={25}
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
          id: 'state',
          header: 'State',
          cell: ({ row }) =>
            row.original.state === 'open' ? <strong>open</strong> : <Text color="secondary">closed</Text>,
        },
        {
          id: 'openedAt',
          header: 'Opened',
          sortType: 'number',
          cell: ({ row }) => formatUnixTime(row.original.openedAt),
        },
        {
          id: 'duration',
          header: 'Duration',
          cell: ({ row }) =>
            formatDuration((row.original.closedAt ?? now() / 1000) - row.original.openedAt) +
            (row.original.state === 'open' ? ' so far' : ''),
        },
        {
          id: 'peakTemperature',
          header: 'Peak temperature',
          sortType: 'number',
          cell: ({ row }) => formatNumber(row.original.peakTemperature, 1),
        },
        { id: 'rootCause', header: 'Top root cause', cell: ({ row }) => row.original.rootCause ?? '–' },
        { id: 'summary', header: 'Summary' },
      ]}
    />
  );
}
