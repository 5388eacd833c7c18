import { type DataFrame, type Field, FieldType, getFieldDisplayName } from '@grafana/data';

import { createFrameReader } from '../shared/createFrameReader';
import { severityBands } from './severityBands';
import type { EntityAccumulator, IncidentTimeline, SeverityLevel, TemperatureSeries, ToleratedSpike } from './types';

const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function timeField(frame: DataFrame): Field | undefined {
  return frame.fields.find((field) => field.type === FieldType.time);
}

function numberField(frame: DataFrame, name: string, series: DataFrame[]): Field | undefined {
  return frame.fields.find(
    (field) =>
      field.type === FieldType.number && (field.name === name || getFieldDisplayName(field, frame, series) === name)
  );
}

function readTemperature(frame: DataFrame, series: DataFrame[]): TemperatureSeries | null {
  const time = timeField(frame);
  const temperature = numberField(frame, 'temperature', series);
  if (!time || !temperature) {
    return null;
  }
  const values = (field: Field | undefined) => Array.from({ length: frame.length }, (_, i) => finite(field?.values[i]));
  const severity = values(numberField(frame, 'severity', series)).map((v) =>
    v === 0 || v === 1 || v === 2 ? (v as SeverityLevel) : null
  );
  return {
    time: Array.from({ length: frame.length }, (_, i) => Number(time.values[i])),
    temperature: values(temperature),
    openThreshold: values(numberField(frame, 'open_threshold', series)),
    closeThreshold: values(numberField(frame, 'close_threshold', series)),
    severity,
  };
}

function readEntity(frame: DataFrame): EntityAccumulator | null {
  const time = timeField(frame);
  const accumulator = frame.fields.find((field) => field.type === FieldType.number && field.name === 'accumulator');
  if (!time || !accumulator) {
    return null;
  }
  const entity = accumulator.labels?.entity ?? frame.name ?? '';
  if (entity === '') {
    return null;
  }
  const values = Array.from({ length: frame.length }, (_, i) => finite(accumulator.values[i]));
  const threshold = frame.fields.find((field) => field.name === 'threshold');
  let latestThreshold: number | null = null;
  for (let i = frame.length - 1; i >= 0 && threshold && latestThreshold === null; i--) {
    latestThreshold = finite(threshold.values[i]);
  }
  const known = values.filter((v): v is number => v !== null);
  return {
    entity,
    scope: accumulator.labels?.scope ?? (entity.includes('->') ? 'edge' : 'service'),
    time: Array.from({ length: frame.length }, (_, i) => Number(time.values[i])),
    accumulator: values,
    threshold: latestThreshold,
    latest: [...values].reverse().find((v) => v !== null) ?? null,
    peak: known.length > 0 ? Math.max(...known) : 0,
  };
}

function readTolerated(frame: DataFrame): ToleratedSpike[] {
  const reader = createFrameReader(frame);
  const out: ToleratedSpike[] = [];
  for (let row = 0; row < reader.length; row++) {
    out.push({
      time: reader.time('time', row),
      entity: reader.string('entity', row),
      scope: reader.string('scope', row),
      peak: reader.number('peak', row),
      threshold: reader.number('threshold', row),
      temperature: reader.number('temperature', row),
      reason: reader.string('reason', row),
    });
  }
  return out.sort((a, b) => (b.time ?? 0) - (a.time ?? 0));
}

const isTolerated = (frame: DataFrame) =>
  frame.name === 'tolerated' ||
  (frame.fields.some((f) => f.name === 'reason') && frame.fields.some((f) => f.name === 'entity'));

/**
 * The incident engine's story in a query result: the `temperature` frame (with its open and close
 * thresholds and severity), one accumulator frame per entity, and the `tolerated` table of spikes
 * that did not open an incident. Returns null when none of them is present.
 */
export function readIncidentTimeline(series: DataFrame[]): IncidentTimeline | null {
  let temperature: TemperatureSeries | null = null;
  const entities: EntityAccumulator[] = [];
  const tolerated: ToleratedSpike[] = [];
  for (const frame of series) {
    if (isTolerated(frame)) {
      tolerated.push(...readTolerated(frame));
      continue;
    }
    const entity = readEntity(frame);
    if (entity) {
      entities.push(entity);
      continue;
    }
    temperature ??= readTemperature(frame, series);
  }
  if (temperature === null && entities.length === 0 && tolerated.length === 0) {
    return null;
  }
  const current: IncidentTimeline['current'] = {
    severity: null,
    since: null,
    temperature: null,
    openThreshold: null,
    closeThreshold: null,
    at: null,
  };
  if (temperature) {
    const { time, severity } = temperature;
    const last = (values: Array<number | null>) => {
      for (let i = values.length - 1; i >= 0; i--) {
        if (values[i] !== null) {
          return i;
        }
      }
      return -1;
    };
    const t = last(temperature.temperature);
    if (t >= 0) {
      current.temperature = temperature.temperature[t]!;
      current.at = time[t]!;
    }
    current.openThreshold = temperature.openThreshold[last(temperature.openThreshold)] ?? null;
    current.closeThreshold = temperature.closeThreshold[last(temperature.closeThreshold)] ?? null;
    const s = last(severity);
    if (s >= 0) {
      current.severity = severity[s]!;
      let start = s;
      while (start > 0 && severity[start - 1] === current.severity) {
        start--;
      }
      current.since = time[start]!;
    }
  }
  entities.sort((a, b) => (b.latest ?? 0) - (a.latest ?? 0) || b.peak - a.peak || a.entity.localeCompare(b.entity));
  return {
    temperature,
    entities,
    tolerated: tolerated.sort((a, b) => (b.time ?? 0) - (a.time ?? 0)),
    bands: temperature ? severityBands(temperature.time, temperature.severity) : [],
    current,
  };
}
