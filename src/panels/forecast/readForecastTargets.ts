import { type DataFrame, type Field, FieldType } from '@grafana/data';

import type { ForecastAccuracy, ForecastTarget } from './types';

const QUANTITIES = ['actual', 'yhat', 'lower', 'upper', 'anomalous'] as const;
type Quantity = (typeof QUANTITIES)[number];

const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function targetLabel(labels: Record<string, string>): string {
  const entity =
    labels.scope === 'edge' || (labels.client && labels.server)
      ? `${labels.client ?? '?'} → ${labels.server ?? '?'}`
      : (labels.service ?? Object.values(labels).join(' '));
  return labels.signal ? `${entity} · ${labels.signal}` : entity || 'forecast';
}

function readAccuracy(custom: unknown): ForecastAccuracy | null {
  if (custom === null || typeof custom !== 'object') {
    return null;
  }
  const c = custom as Record<string, unknown>;
  if (!['mae', 'mape', 'mase', 'coverage', 'trust', 'state'].some((key) => key in c)) {
    return null;
  }
  return {
    mae: finite(c.mae),
    mape: finite(c.mape),
    mase: finite(c.mase),
    coverage: finite(c.coverage),
    trust: finite(c.trust),
    state: typeof c.state === 'string' ? c.state : null,
    model: typeof c.model === 'string' ? c.model : null,
  };
}

interface Collected {
  labels: Record<string, string>;
  unit: string | undefined;
  points: Map<Quantity, Map<number, number | null>>;
  accuracy: ForecastAccuracy | null;
}

/**
 * Inserts a break (a time with every value null) into any interval much longer than the usual
 * step, so that a stretch with no samples at all is drawn as a gap too, not bridged by a line.
 */
function breakLongIntervals(times: number[]): number[] {
  if (times.length < 3) {
    return times;
  }
  const steps = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .sort((a, b) => a - b);
  const step = steps[Math.floor(steps.length / 2)]!;
  const out: number[] = [times[0]!];
  for (let i = 1; i < times.length; i++) {
    if (times[i]! - times[i - 1]! > step * 2.5) {
      out.push(times[i - 1]! + step);
    }
    out.push(times[i]!);
  }
  return out;
}

/**
 * Forecast targets from the Seismo datasource's forecast frames (one frame per quantity, each a
 * time field and one number field named `actual`, `yhat`, `lower`, `upper` or `anomalous` with
 * the target's labels) or from a wide frame holding several of them. Frames of one target are
 * joined on their timestamps; missing samples stay null. Targets without a `yhat` are dropped.
 */
export function readForecastTargets(series: DataFrame[]): ForecastTarget[] {
  const targets = new Map<string, Collected>();
  for (const frame of series) {
    const time = frame.fields.find((field) => field.type === FieldType.time);
    if (!time) {
      continue;
    }
    const quantities = frame.fields.filter(
      (field): field is Field & { name: Quantity } =>
        field.type === FieldType.number && (QUANTITIES as readonly string[]).includes(field.name)
    );
    for (const field of quantities) {
      const labels = { ...(field.labels ?? {}) };
      const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
      let target = targets.get(key);
      if (!target) {
        target = { labels, unit: undefined, points: new Map(), accuracy: null };
        targets.set(key, target);
      }
      if (field.name !== 'anomalous' && field.config.unit) {
        target.unit ??= field.config.unit;
      }
      if (field.name === 'actual' || target.accuracy === null) {
        target.accuracy = readAccuracy(frame.meta?.custom) ?? target.accuracy;
      }
      const points = target.points.get(field.name) ?? new Map<number, number | null>();
      for (let i = 0; i < frame.length; i++) {
        const t = Number(time.values[i]);
        if (Number.isFinite(t)) {
          points.set(t, finite(field.values[i]));
        }
      }
      target.points.set(field.name, points);
    }
  }
  const out: ForecastTarget[] = [];
  for (const [key, target] of targets) {
    if (!target.points.has('yhat')) {
      continue;
    }
    const all = new Set<number>();
    target.points.forEach((points) => points.forEach((_, t) => all.add(t)));
    const time = breakLongIntervals([...all].sort((a, b) => a - b));
    const column = (q: Quantity) => time.map((t) => target.points.get(q)?.get(t) ?? null);
    out.push({
      key,
      label: targetLabel(target.labels),
      labels: target.labels,
      unit: target.unit,
      time,
      actual: column('actual'),
      yhat: column('yhat'),
      lower: column('lower'),
      upper: column('upper'),
      anomalous: column('anomalous'),
      accuracy: target.accuracy,
    });
  }
  return out;
}
