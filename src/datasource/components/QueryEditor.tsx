import React, { type ChangeEvent, useCallback, useState } from 'react';
import { CoreApp, type QueryEditorProps } from '@grafana/data';
import {
  Alert,
  Combobox,
  InlineField,
  InlineFieldRow,
  InlineSwitch,
  Input,
  RadioButtonGroup,
  Stack,
  Text,
} from '@grafana/ui';

import { alertRuleProblems, isAlertable, validateQuery } from '../query/validateQuery';
import { withQueryType } from '../query/withQueryType';
import type { SeismoDataSource } from '../SeismoDataSource';
import {
  DEFAULT_FORECAST_SIGNAL,
  DEFAULT_QUERY,
  FORECAST_QUANTITIES,
  INCIDENT_VIEW_OPTIONS,
  QUERY_TYPES,
  type Scope,
  type SeismoOptions,
  type SeismoQuery,
  type SeismoQueryType,
} from '../types';
import { NamePicker } from './NamePicker';

type Props = QueryEditorProps<SeismoDataSource, SeismoQuery, SeismoOptions>;

const SCOPE_OPTIONS: Array<{ value: Scope; label: string }> = [
  { value: 'service', label: 'Service' },
  { value: 'edge', label: 'Call edge' },
];

const ALL_QUANTITIES = 'all';
const QUANTITY_OPTIONS = [
  { value: ALL_QUANTITIES, label: 'All five', description: 'actual, yhat, lower, upper and anomalous' },
  ...FORECAST_QUANTITIES.map((q) => ({ value: q, label: q })),
];

// Types whose result is a time series, so a step applies.
function hasStep(query: SeismoQuery): boolean {
  const type = query.queryType ?? 'anomalyScore';
  if (type === 'incidents') {
    return (query.incidentView ?? 'timeline') === 'timeline';
  }
  return type === 'anomalyScore' || type === 'edgeScore' || type === 'forecast' || type === 'signal';
}

export function QueryEditor({ datasource, query, onChange, onRunQuery, range, app }: Props) {
  const queryType = query.queryType ?? DEFAULT_QUERY.queryType!;
  const info = QUERY_TYPES.find((t) => t.value === queryType);
  const problems = validateQuery(query);
  const problemFor = (field: keyof SeismoQuery) => problems.find((p) => p.field === field)?.message;
  const [loadError, setLoadError] = useState<string | undefined>();

  // Only valid queries run: an invalid one would come back with the error shown already.
  const change = (next: SeismoQuery) => {
    onChange(next);
    if (validateQuery(next).length === 0) {
      onRunQuery();
    }
  };
  const set = (patch: Partial<SeismoQuery>) => change({ ...query, ...patch });
  const text = (key: 'step' | 'incidentId') => (e: ChangeEvent<HTMLInputElement>) =>
    onChange({ ...query, [key]: e.target.value || undefined });
  const runIfValid = () => {
    if (problems.length === 0) {
      onRunQuery();
    }
  };

  const scope = query.scope ?? 'service';
  const loadServices = useCallback(
    () => datasource.listServices(range).then((names) => names.map((value) => ({ value }))),
    [datasource, range]
  );
  const loadClients = useCallback(
    () => datasource.listEdges(range).then((edges) => unique(edges.map((e) => e.client)).map((value) => ({ value }))),
    [datasource, range]
  );
  const client = query.client;
  const loadServers = useCallback(
    () =>
      datasource
        .listEdges(range)
        .then((edges) =>
          unique(edges.filter((e) => !client || e.client === client).map((e) => e.server)).map((value) => ({ value }))
        ),
    [datasource, range, client]
  );
  const loadSignals = useCallback(
    () =>
      datasource
        .listSignals(scope)
        .then((signals) => signals.map((s) => ({ value: s.name, description: `${s.description} (${s.unit})` }))),
    [datasource, scope]
  );

  const servicePicker = (id: string, placeholder: string, required = false) => (
    <InlineField label="Service" labelWidth={10} invalid={Boolean(problemFor('service'))} error={problemFor('service')}>
      <NamePicker
        id={id}
        value={query.service}
        placeholder={placeholder}
        load={loadServices}
        onLoadError={setLoadError}
        invalid={required && Boolean(problemFor('service'))}
        onChange={(service) => set({ service })}
      />
    </InlineField>
  );
  const edgePickers = (anyPlaceholder: string) => (
    <>
      <InlineField label="Client" labelWidth={10} invalid={Boolean(problemFor('client'))} error={problemFor('client')}>
        <NamePicker
          id="query-client"
          width={24}
          value={query.client}
          placeholder={anyPlaceholder}
          load={loadClients}
          onLoadError={setLoadError}
          onChange={(c) => set({ client: c })}
        />
      </InlineField>
      <InlineField label="Server" labelWidth={10} invalid={Boolean(problemFor('server'))} error={problemFor('server')}>
        <NamePicker
          id="query-server"
          width={24}
          value={query.server}
          placeholder={anyPlaceholder}
          load={loadServers}
          onLoadError={setLoadError}
          onChange={(s) => set({ server: s })}
        />
      </InlineField>
    </>
  );
  const targetFields = (
    <>
      <InlineField label="Of" labelWidth={6}>
        <RadioButtonGroup
          options={SCOPE_OPTIONS}
          value={scope}
          // The default signal exists in both scopes; others may not.
          onChange={(value) => set({ scope: value, signal: DEFAULT_FORECAST_SIGNAL })}
        />
      </InlineField>
      {scope === 'service' ? servicePicker('query-service', 'choose a service', true) : edgePickers('choose one')}
      <InlineField label="Signal" labelWidth={10} invalid={Boolean(problemFor('signal'))} error={problemFor('signal')}>
        <NamePicker
          id="query-signal"
          width={26}
          value={query.signal}
          placeholder="choose a signal"
          load={loadSignals}
          onLoadError={setLoadError}
          onChange={(signal) => set({ signal })}
        />
      </InlineField>
    </>
  );

  const alertProblems = app === CoreApp.UnifiedAlerting ? alertRuleProblems(query) : [];

  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <InlineField label="Query" labelWidth={10}>
          <Combobox
            id="query-type"
            width={30}
            options={QUERY_TYPES.map(({ value, label, description }) => ({ value, label, description }))}
            value={queryType}
            onChange={(option) => change(withQueryType(query, option.value as SeismoQueryType))}
          />
        </InlineField>
        {queryType === 'incidents' && (
          <InlineField label="View" labelWidth={8}>
            <RadioButtonGroup
              options={INCIDENT_VIEW_OPTIONS.map(({ value, label, description }) => ({ value, label, description }))}
              value={query.incidentView ?? 'timeline'}
              onChange={(incidentView) => set({ incidentView })}
            />
          </InlineField>
        )}
        {queryType === 'services' && (
          <InlineField label="List" labelWidth={8}>
            <RadioButtonGroup options={SCOPE_OPTIONS} value={scope} onChange={(value) => set({ scope: value })} />
          </InlineField>
        )}
      </InlineFieldRow>

      <InlineFieldRow>
        {queryType === 'anomalyScore' && (
          <>
            {servicePicker('query-service', 'all services')}
            <InlineField label="Contributions" labelWidth={14} tooltip="Also return each signal's share of the score">
              <InlineSwitch
                id="query-contributions"
                value={Boolean(query.contributions)}
                onChange={(e) => set({ contributions: e.currentTarget.checked || undefined })}
              />
            </InlineField>
          </>
        )}
        {queryType === 'edgeScore' && edgePickers('any')}
        {(queryType === 'forecast' || queryType === 'signal') && targetFields}
        {queryType === 'forecast' && (
          <InlineField
            label="Series"
            labelWidth={8}
            tooltip="Alert rules need one series; anomalous is 1 when the actual left the interval"
          >
            <Combobox
              id="query-quantity"
              width={16}
              options={QUANTITY_OPTIONS}
              value={query.quantity ?? ALL_QUANTITIES}
              onChange={(option) =>
                set({
                  quantity: option.value === ALL_QUANTITIES ? undefined : (option.value as SeismoQuery['quantity']),
                })
              }
            />
          </InlineField>
        )}
        {((queryType === 'incidents' && (query.incidentView ?? 'timeline') === 'timeline') ||
          queryType === 'rootCause') && (
          <InlineField
            label="Incident"
            labelWidth={10}
            tooltip={
              queryType === 'rootCause'
                ? 'An incident id such as inc-1700000450; empty means the open incident, else the latest'
                : 'Keep the entities this incident affected; empty means every entity'
            }
          >
            <Input
              id="query-incident"
              width={24}
              value={query.incidentId ?? ''}
              placeholder={queryType === 'rootCause' ? 'open incident' : 'all entities'}
              onChange={text('incidentId')}
              onBlur={runIfValid}
            />
          </InlineField>
        )}
        {queryType === 'rootCause' && servicePicker('query-service', 'every candidate')}
        {queryType === 'topology' && (
          <>
            {servicePicker('query-service', 'whole graph')}
            <InlineField label="Hops" labelWidth={8} invalid={Boolean(problemFor('hops'))} error={problemFor('hops')}>
              <Input
                id="query-hops"
                type="number"
                min={0}
                max={10}
                width={8}
                value={query.hops ?? ''}
                placeholder="all"
                onChange={(e: ChangeEvent<HTMLInputElement>) =>
                  onChange({ ...query, hops: e.target.value === '' ? undefined : Number(e.target.value) })
                }
                onBlur={runIfValid}
              />
            </InlineField>
            <InlineField label="Anomalous only" labelWidth={16}>
              <InlineSwitch
                id="query-anomalous-only"
                value={Boolean(query.anomalousOnly)}
                onChange={(e) => set({ anomalousOnly: e.currentTarget.checked || undefined })}
              />
            </InlineField>
          </>
        )}
        {hasStep(query) && (
          <InlineField
            label="Step"
            labelWidth={8}
            invalid={Boolean(problemFor('step'))}
            error={problemFor('step')}
            tooltip="Resolution as a Prometheus duration, e.g. 1m; empty picks one that stays under Prometheus's points limit"
          >
            <Input
              id="query-step"
              width={10}
              value={query.step ?? ''}
              placeholder="auto"
              onChange={text('step')}
              onBlur={runIfValid}
            />
          </InlineField>
        )}
      </InlineFieldRow>

      {info && (
        <Text variant="bodySmall" color="secondary">
          {info.description}. From {info.upstream === 'Prometheus' ? 'the history in Prometheus' : 'the Seismo sidecar'}
          ; {isAlertable(query) ? 'usable in alert rules' : 'not usable in alert rules'}.
        </Text>
      )}
      {loadError && (
        <Alert severity="warning" title="The pickers could not load their names">
          {loadError}
        </Alert>
      )}
      {alertProblems.length > 0 && (
        <Alert severity="warning" title="Before this query can drive an alert rule">
          <ul>
            {alertProblems.map((p) => (
              <li key={`${p.field}:${p.message}`}>
                {p.field}: {p.message}
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </Stack>
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}
