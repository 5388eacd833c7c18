import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';

import type { SeismoVariableQuery } from '../types';

/**
 * Turns the services query's table into the text/value frame Grafana reads variable options
 * from: service names, or one column of the call edges (`edge` is "client->server", shown as
 * "client → server"). Values are unique and sorted.
 */
export function toVariableFrame(frames: DataFrame[], query: SeismoVariableQuery): DataFrame {
  const column = query.scope === 'edge' ? (query.edgeField ?? 'edge') : 'service';
  const source = frames.find((frame) => frame.fields.some((field) => field.name === column));
  const values = source?.fields.find((field) => field.name === column)?.values ?? [];
  const unique = [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))].sort();
  return createDataFrame({
    refId: query.refId,
    fields: [
      {
        name: 'text',
        type: FieldType.string,
        values: unique.map((v) => (column === 'edge' ? v.replace('->', ' → ') : v)),
      },
      { name: 'value', type: FieldType.string, values: unique },
    ],
  });
}
