import type { IncidentState, Severity } from '../incidents/types.js';
import type { PrometheusApi } from '../prometheus/types.js';

export interface ExportedStateQuery {
  readonly prometheus: PrometheusApi;
  readonly shard: { readonly index: number; readonly count: number };
  /** Unix seconds. */
  readonly now: number;
  /** How far back to look for this replica's last evaluation. */
  readonly lookbackSeconds: number;
  readonly signal?: AbortSignal;
}

export interface ExportedState {
  /** Ready for IncidentEngine.restore (only the fields the series carry; the rest default). */
  readonly state: IncidentState;
  /** Unix seconds of the scrape the state was read at. */
  readonly scrapedAt: number;
  /** The target labels (job, instance, ...) the series came from. */
  readonly target: Readonly<Record<string, string>>;
}

/** A PromQL string literal. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function selector(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .filter(([name]) => name !== '__name__')
    .map(([name, value]) => `${name}=${quote(value)}`)
    .join(', ');
}

/**
 * Rebuilds the incident engine's state from the series this replica exported before it stopped
 * (docs/metrics.md): its newest `seismo_incident_last_evaluation_timestamp_seconds` (joined with
 * `seismo_shard_info` of the same scrape target, so another shard's series are never taken),
 * then, at the time of that scrape, its `seismo_incident_accumulator`, `seismo_incident_open`
 * and `seismo_incident_opened_timestamp_seconds`. Reading every series at one scrape keeps them
 * consistent: entities whose series had ended (staleness markers) are not revived. Returns null
 * when Prometheus has no such series; throws when it cannot be asked.
 */
export async function readExportedIncidentState(q: ExportedStateQuery): Promise<ExportedState | null> {
  const { prometheus, shard, now, lookbackSeconds } = q;
  const options = q.signal === undefined ? {} : { signal: q.signal };
  const step = Math.max(1, Math.ceil(lookbackSeconds / 1000));
  const last = await prometheus.queryRange(
    `seismo_incident_last_evaluation_timestamp_seconds and on (job, instance) seismo_shard_info{index=${quote(String(shard.index))}, count=${quote(String(shard.count))}}`,
    now - lookbackSeconds,
    now,
    step,
    options
  );
  let best: { value: number; time: number; labels: Readonly<Record<string, string>> } | null = null;
  for (const series of last.result) {
    for (const [time, value] of series.points) {
      // A replica that has not evaluated yet exports 0; the newest evaluation wins, and of
      // the grid points showing it, the latest.
      if (value > 0 && (best === null || value > best.value || (value === best.value && time > best.time))) {
        best = { value, time, labels: series.metric };
      }
    }
  }
  if (best === null) {
    return null;
  }
  const target = Object.fromEntries(Object.entries(best.labels).filter(([name]) => name !== '__name__'));
  const where = selector(target);
  const at = best.time;
  const [accumulators, open, opened] = await Promise.all([
    prometheus.query(`seismo_incident_accumulator{${where}}`, at, options),
    prometheus.query(`seismo_incident_open{${where}}`, at, options),
    prometheus.query(`seismo_incident_opened_timestamp_seconds{${where}}`, at, options),
  ]);
  const entities: IncidentState['entities'] = {};
  if (accumulators.resultType === 'vector') {
    for (const sample of accumulators.result) {
      const entity = sample.metric.entity;
      if (entity !== undefined && entity !== '' && Number.isFinite(sample.value) && sample.value >= 0) {
        entities[entity] = { value: sample.value, peak: sample.value, normalStreak: 0, unknownStreak: 0 };
      }
    }
  }
  let incident: IncidentState['incident'] = null;
  if (open.resultType === 'vector' && opened.resultType === 'vector') {
    const openSample = open.result.find((s) => s.value === 1 && s.metric.incident_id !== undefined);
    const id = openSample?.metric.incident_id;
    const severity = openSample?.metric.severity;
    const openedAt = opened.result.find((s) => s.metric.incident_id === id)?.value;
    if (id !== undefined && (severity === 'SEV1' || severity === 'SEV2') && openedAt !== undefined) {
      incident = {
        id,
        openedAt,
        closedAt: null,
        openedSeverity: severity as Severity,
        maxSeverity: severity as Severity,
        escalatedAt: null,
        peakTemperature: 0,
        peakAt: openedAt,
        // Not exported; the restoring service takes them from its incident history.
        affectedEntities: [],
      };
    }
  }
  return { state: { version: 1, lastAt: best.value, entities, incident }, scrapedAt: at, target };
}
