import React, { type ChangeEvent } from 'react';
import { type QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, Input } from '@grafana/ui';

import type { SeismoDataSource } from '../SeismoDataSource';
import { DEFAULT_QUERY, QUERY_TYPES, type SeismoOptions, type SeismoQuery, type SeismoQueryType } from '../types';

type Props = QueryEditorProps<SeismoDataSource, SeismoQuery, SeismoOptions>;

export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const queryType = query.queryType ?? DEFAULT_QUERY.queryType;

  const update = (patch: Partial<SeismoQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };
  const text = (key: 'service' | 'client' | 'server' | 'step') => (e: ChangeEvent<HTMLInputElement>) =>
    onChange({ ...query, [key]: e.target.value });

  return (
    <InlineFieldRow>
      <InlineField label="Query" labelWidth={10}>
        <Combobox
          id="query-type"
          width={30}
          options={QUERY_TYPES.map(({ value, label, description }) => ({ value, label, description }))}
          value={queryType}
          onChange={(option) => update({ queryType: option.value as SeismoQueryType })}
        />
      </InlineField>
      {queryType === 'anomalyScore' && (
        <InlineField label="Service" labelWidth={10} tooltip="Empty means every monitored service">
          <Input
            id="query-service"
            width={30}
            value={query.service ?? ''}
            placeholder="all services"
            onChange={text('service')}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
      {queryType === 'edgeScore' && (
        <>
          <InlineField label="Client" labelWidth={10}>
            <Input
              id="query-client"
              width={24}
              value={query.client ?? ''}
              onChange={text('client')}
              onBlur={onRunQuery}
            />
          </InlineField>
          <InlineField label="Server" labelWidth={10}>
            <Input
              id="query-server"
              width={24}
              value={query.server ?? ''}
              onChange={text('server')}
              onBlur={onRunQuery}
            />
          </InlineField>
        </>
      )}
      <InlineField
        label="Step"
        labelWidth={8}
        tooltip="Resolution as a Prometheus duration, e.g. 1m; empty picks one that stays under Prometheus's points limit"
      >
        <Input
          id="query-step"
          width={10}
          value={query.step ?? ''}
          placeholder="auto"
          onChange={text('step')}
          onBlur={onRunQuery}
        />
      </InlineField>
    </InlineFieldRow>
  );
}
