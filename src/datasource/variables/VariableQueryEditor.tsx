import React from 'react';
import { type QueryEditorProps } from '@grafana/data';
import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';

import type { SeismoDataSource } from '../SeismoDataSource';
import type { Scope, SeismoOptions, SeismoQuery, SeismoVariableQuery } from '../types';

type Props = QueryEditorProps<SeismoDataSource, SeismoQuery, SeismoOptions, SeismoVariableQuery>;

const SCOPE_OPTIONS: Array<{ value: Scope; label: string; description: string }> = [
  { value: 'service', label: 'Services', description: 'Every service with Seismo series in the time range' },
  { value: 'edge', label: 'Call edges', description: 'Every monitored client → server call' },
];

const EDGE_FIELD_OPTIONS: Array<{ value: NonNullable<SeismoVariableQuery['edgeField']>; label: string }> = [
  { value: 'edge', label: 'client->server' },
  { value: 'client', label: 'Clients' },
  { value: 'server', label: 'Servers' },
];

/** Editor of a template variable: services, or a column of the call edges. */
export function VariableQueryEditor({ query, onChange }: Props) {
  const scope = query.scope ?? 'service';
  return (
    <InlineFieldRow>
      <InlineField label="Values" labelWidth={14} tooltip="What the variable lists">
        <RadioButtonGroup
          options={SCOPE_OPTIONS}
          value={scope}
          onChange={(value) => onChange({ ...query, scope: value, edgeField: value === 'edge' ? 'edge' : undefined })}
        />
      </InlineField>
      {scope === 'edge' && (
        <InlineField
          label="Column"
          labelWidth={10}
          tooltip="Clients or servers feed the client and server fields of edge queries; client->server names the edge"
        >
          <RadioButtonGroup
            options={EDGE_FIELD_OPTIONS}
            value={query.edgeField ?? 'edge'}
            onChange={(value) => onChange({ ...query, edgeField: value })}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
