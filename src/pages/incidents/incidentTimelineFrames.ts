import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';

import type { IncidentDetail, Severity } from '../api/sidecarTypes';

const SEVERITY_VALUE: Record<Severity, number> = { SEV2: 1, SEV1: 2 };

/**
 * An incident's timeline in the frames the datasource's incidents `timeline` query returns
 * (docs/frames.md), so the temperature panel draws it exactly as on a dashboard: a `temperature`
 * frame (Time, temperature, severity 0/1/2) and one frame per entity with its accumulator.
 * Entities missing from an evaluation get null there, never 0: the engine did not report them.
 */
export function incidentTimelineFrames(incident: IncidentDetail): DataFrame[] {
  const timeline = [...(incident.timeline ?? [])].sort((a, b) => a.at - b.at);
  if (timeline.length === 0) {
    return [];
  }
  const times = timeline.map((entry) => entry.at * 1000);
  const temperature = createDataFrame({
    name: 'temperature',
    fields: [
      { name: 'Time', type: FieldType.time, values: times },
      { name: 'temperature', type: FieldType.number, values: timeline.map((entry) => entry.temperature) },
      {
        name: 'severity',
        type: FieldType.number,
        values: timeline.map((entry) => (entry.severity ? SEVERITY_VALUE[entry.severity] : 0)),
      },
    ],
  });
  const entities = [...new Set(timeline.flatMap((entry) => Object.keys(entry.accumulators ?? {})))].sort();
  const accumulators = entities.map((entity) =>
    createDataFrame({
      name: entity,
      fields: [
        { name: 'Time', type: FieldType.time, values: times },
        {
          name: 'accumulator',
          type: FieldType.number,
          labels: { scope: entityScope(entity), entity },
          values: timeline.map((entry) => entry.accumulators?.[entity] ?? null),
        },
      ],
    })
  );
  return [temperature, ...accumulators];
}

/** Edges are written `client->server` (docs/metrics.md); anything else is a service. */
export function entityScope(entity: string): 'service' | 'edge' {
  return entity.includes('->') ? 'edge' : 'service';
}
