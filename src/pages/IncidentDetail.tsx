import React, { useCallback, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { config } from '@grafana/runtime';
import { dateTime, type TimeRange } from '@grafana/data';
import { Alert, Button, Field, Input, InteractiveTable, LinkButton, Stack, Text } from '@grafana/ui';

import { InternalLink } from '../components/InternalLink';
import { EmbeddedPanel } from '../components/EmbeddedPanel';
import { LoadState } from '../components/LoadState';
import { SeismoPage } from '../components/SeismoPage';
import { SeverityBadge } from '../components/SeverityBadge';
import { SidecarErrorAlert } from '../components/SidecarErrorAlert';
import type { SeismoConnection } from '../components/useSeismoClient';
import { useSidecarData } from '../components/useSidecarData';
import { plugin as temperaturePlugin } from '../panels/temperature/module';
import { type AppSettings, appUrl, DASHBOARD_UIDS, ROUTES } from '../types';
import type { FeedbackKind, IncidentDetail as Incident, RootCauseCandidate } from './api/sidecarTypes';
import { formatDuration } from './format/formatDuration';
import { formatNumber } from './format/formatNumber';
import { formatUnixTime } from './format/formatUnixTime';
import { feedbackForIncident } from './incidents/feedbackForIncident';
import { incidentTimelineFrames } from './incidents/incidentTimelineFrames';
import { serviceDashboardUrl } from './services/serviceDashboardUrl';

interface Props {
  settings: AppSettings;
  now?: () => number;
}

export function IncidentDetail({ settings, now = Date.now }: Props) {
  const { id = '' } = useParams<{ id: string }>();
  return (
    <SeismoPage settings={settings} testId="seismo-incident">
      {(connection) => <IncidentContent connection={connection} id={id} now={now} />}
    </SeismoPage>
  );
}

function IncidentContent({ connection, id, now }: { connection: SeismoConnection; id: string; now: () => number }) {
  const { client } = connection;
  const load = useCallback(() => client.incident(id), [client, id]);
  const data = useSidecarData(load, 30_000);
  return (
    <Stack direction="column" gap={3}>
      <InternalLink href={appUrl(ROUTES.incidents)}>← All incidents</InternalLink>
      <LoadState data={data} datasourceUid={client.datasourceUid} loadingText={`Loading incident ${id}`}>
        {(incident) => (
          <Stack direction="column" gap={3}>
            <IncidentHeader incident={incident} now={now} />
            <IncidentTimeline incident={incident} />
            <RootCauseTable incident={incident} />
            <FeedbackSection connection={connection} incident={incident} now={now} onSent={data.reload} />
          </Stack>
        )}
      </LoadState>
    </Stack>
  );
}

function IncidentHeader({ incident, now }: { incident: Incident; now: () => number }) {
  const end = incident.closedAt ?? now() / 1000;
  const dashboard = `/d/${DASHBOARD_UIDS.incident}?var-incident=${encodeURIComponent(incident.id)}&from=${
    (incident.openedAt - 900) * 1000
  }&to=${incident.closedAt ? (incident.closedAt + 900) * 1000 : 'now'}`;
  return (
    <Stack direction="column" gap={1}>
      <Stack direction="row" gap={2} alignItems="center">
        <SeverityBadge severity={incident.severity} />
        <h2 style={{ margin: 0 }}>{incident.id}</h2>
        <Text color={incident.state === 'open' ? 'error' : 'secondary'}>{incident.state}</Text>
        <LinkButton href={dashboard} icon="apps" variant="secondary" size="sm">
          Incident dashboard
        </LinkButton>
      </Stack>
      <Text>{incident.summary}</Text>
      <Text color="secondary">
        Opened {formatUnixTime(incident.openedAt)} as {incident.openedSeverity}
        {incident.closedAt ? `, closed ${formatUnixTime(incident.closedAt)}` : ''} (
        {formatDuration(end - incident.openedAt)}
        {incident.state === 'open' ? ' so far' : ''}); peak temperature {formatNumber(incident.peakTemperature, 1)}.
      </Text>
      <Text color="secondary">Affected: {incident.affectedEntities.join(', ') || 'none recorded'}</Text>
      {typeof incident.rootCause === 'string' && <Text>Top root cause: {incident.rootCause}</Text>}
      {incident.rule && (
        <Alert severity="info" title="Rule that opened it">
          {incident.rule}
        </Alert>
      )}
    </Stack>
  );
}

function IncidentTimeline({ incident }: { incident: Incident }) {
  const frames = useMemo(() => incidentTimelineFrames(incident), [incident]);
  const range = useMemo((): TimeRange | undefined => {
    const times = (incident.timeline ?? []).map((entry) => entry.at * 1000);
    if (times.length === 0) {
      return undefined;
    }
    const from = dateTime(Math.min(...times));
    const to = dateTime(Math.max(...times));
    return { from, to, raw: { from, to } };
  }, [incident]);
  return (
    <section>
      <h3>Temperature and accumulators</h3>
      {frames.length === 0 ? (
        <Text color="secondary">The sidecar kept no timeline for this incident.</Text>
      ) : (
        <EmbeddedPanel
          plugin={temperaturePlugin}
          series={frames}
          height={320}
          title="Incident temperature"
          timeRange={range}
        />
      )}
    </section>
  );
}

function RootCauseTable({ incident }: { incident: Incident }) {
  const ranking = typeof incident.rootCause === 'object' ? incident.rootCause : null;
  return (
    <section>
      <h3>Probable root causes</h3>
      {!ranking || ranking.candidates.length === 0 ? (
        <Text color="secondary">No ranking for this incident yet.</Text>
      ) : (
        <Stack direction="column" gap={1}>
          <InteractiveTable
            getRowId={(c: RootCauseCandidate) => c.service}
            data={[...ranking.candidates].sort((a, b) => a.rank - b.rank)}
            columns={[
              { id: 'rank', header: 'Rank' },
              {
                id: 'service',
                header: 'Service',
                cell: ({ row }) => (
                  <InternalLink href={serviceDashboardUrl(row.original.service)}>{row.original.service}</InternalLink>
                ),
              },
              { id: 'score', header: 'Score', cell: ({ row }) => `${formatNumber(row.original.score, 2)}×` },
              { id: 'channel', header: 'Evidence' },
              { id: 'onset', header: 'Onset', cell: ({ row }) => formatUnixTime(row.original.onset) },
              {
                id: 'explainedBy',
                header: 'Explained by',
                cell: ({ row }) =>
                  row.original.explainedBy
                    ? `${row.original.explainedBy.service} (${Math.round(row.original.explainedBy.confidence * 100)} %)`
                    : '',
              },
              { id: 'summary', header: 'Why' },
            ]}
          />
          {(ranking.notes ?? []).map((note) => (
            <Text key={note} color="secondary">
              {note}
            </Text>
          ))}
        </Stack>
      )}
    </section>
  );
}

type SendState =
  { status: 'idle' } | { status: 'sending' } | { status: 'sent'; count: number } | { status: 'failed'; error: unknown };

interface FeedbackProps {
  connection: SeismoConnection;
  incident: Incident;
  now: () => number;
  onSent: () => void;
}

function FeedbackSection({ connection, incident, now, onSent }: FeedbackProps) {
  const [note, setNote] = useState('');
  const [send, setSend] = useState<SendState>({ status: 'idle' });
  const feedback = incident.feedback ?? [];

  const submit = async (kind: FeedbackKind) => {
    const items = feedbackForIncident(incident, kind, Math.floor(now() / 1000), { note, author: currentUserLogin() });
    setSend({ status: 'sending' });
    try {
      for (const item of items) {
        await connection.client.sendFeedback(item);
      }
      setSend({ status: 'sent', count: items.length });
      setNote('');
      onSent();
    } catch (error: unknown) {
      setSend({ status: 'failed', error });
    }
  };

  return (
    <section>
      <h3>Feedback</h3>
      <Text color="secondary">
        Marking the incident tells the sidecar to leave its window out of the learned baselines of every affected
        service and edge, and exports it as a label for the next training run.
      </Text>
      {incident.affectedEntities.length === 0 ? (
        <Text color="secondary">No affected entity is recorded, so there is nothing to give feedback on.</Text>
      ) : (
        <Stack direction="column" gap={1}>
          <Field label="Note (optional)" htmlFor="seismo-feedback-note">
            <Input
              id="seismo-feedback-note"
              value={note}
              maxLength={2000}
              onChange={(event) => setNote(event.currentTarget.value)}
              width={60}
            />
          </Field>
          <Stack direction="row" gap={1}>
            <Button
              icon="check"
              variant="secondary"
              disabled={send.status === 'sending'}
              onClick={() => submit('expected')}
            >
              Expected
            </Button>
            <Button
              icon="times"
              variant="secondary"
              disabled={send.status === 'sending'}
              onClick={() => submit('false_positive')}
            >
              False positive
            </Button>
          </Stack>
        </Stack>
      )}
      {send.status === 'sent' && (
        <Alert severity="success" title="Feedback recorded">
          Stored for {send.count} affected {send.count === 1 ? 'entity' : 'entities'}.
        </Alert>
      )}
      {send.status === 'failed' && (
        <SidecarErrorAlert error={send.error} datasourceUid={connection.client.datasourceUid} />
      )}
      {feedback.length > 0 && (
        <InteractiveTable
          getRowId={(f) => f.id ?? `${f.kind}:${f.entity}:${f.receivedAt}`}
          data={feedback}
          columns={[
            {
              id: 'kind',
              header: 'Kind',
              cell: ({ row }) => (row.original.kind === 'expected' ? 'expected' : 'false positive'),
            },
            { id: 'entity', header: 'Entity' },
            { id: 'receivedAt', header: 'Received', cell: ({ row }) => formatUnixTime(row.original.receivedAt) },
            { id: 'author', header: 'By' },
            { id: 'note', header: 'Note' },
          ]}
        />
      )}
    </section>
  );
}

/** The signed-in user's login, recorded with feedback so that reviewers know whom to ask. */
function currentUserLogin(): string | undefined {
  return config.bootData?.user?.login || undefined;
}
