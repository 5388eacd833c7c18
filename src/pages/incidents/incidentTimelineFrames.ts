import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';

import type { IncidentDetail, Severity } from '../api/sidecarTypes';

const SEVERITY_VALUE: Record<Severity, number> = { SEV2: 1, SEV1: 2 };

/**
 * An incident's timeline in the frames the datasource's incidents `timeline` query returns
 * (docs/frames.md), so the temperature panel draws it exactly as on a dashboard: a `temperature`
 * frame (Time, temperature, open_threshold, close_threshold, severity 0/1/2) and one frame per
 * entity with its accumulator and threshold. Entities missing from an evaluation get null there,
 * never 0: the engine did not report them. Thresholds come from the evaluation that opened the
 * incident; one it does not state is left out rather than guessed.
 */
export function incidentTimelineFrames(incident: IncidentDetail): DataFrame[] {
  const timeline = [...(incident.timeline ?? [])].sort((a, b) => a.at - b.at);
  if (timeline.length === 0) {
    return [];
  }
  const times = timeline.map((entry) => entry.at * 1000);
  const explanation = incident.explanation;
  const constant = (name: string, value: number | undefined) =>
    typeof value === 'number' && Number.isFinite(value)
      ? [{ name, type: FieldType.number, values: times.map(() => value) }]
      : [];
  const entityThresholds = new Map((explanation?.entities ?? []).map((e) => [e.entity, e.threshold]));
  const temperature = createDataFrame({
    name: 'temperature',
    fields: [
      { name: 'Time', type: FieldType.time, values: times },
      { name: 'temperature', type: FieldType.number, values: timeline.map((entry) => entry.temperature) },
      ...constant('open_threshold', explanation?.openThreshold),
      ...constant('close_threshold', explanation?.closeThreshold),
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
        ...constant('threshold', entityThresholds.get(entity)),
      ],
    })
  );
  return [temperature, ...accumulators];
}

/** Edges are written `client->server` (docs/metrics.md); anything else is a service. */
export function entityScope(entity: string): 'service' | 'edge' {
  return entity.includes('->') ? 'edge' : 'service';
}
