import type { CycleResult } from '../detection/CycleResult.js';
import type { ForecastStatus } from '../detection/ForecastBank.js';
import type { IncidentConfig } from '../incidents/resolveIncidentConfig.js';
import type { IncidentEvaluation, IncidentState, Severity } from '../incidents/types.js';
import { FORECAST_LABELS, type DetectionMetrics } from './createDetectionMetrics.js';
import { EntitySeries } from './EntitySeries.js';
import { SeriesSet } from './SeriesSet.js';

/** Root-cause candidates exported per open incident. */
export const TOP_ROOT_CAUSES = 5;

const SEVERITY_VALUE: Readonly<Record<Severity, number>> = { SEV2: 1, SEV1: 2 };

type ForecastLabel = (typeof FORECAST_LABELS)[number];

export interface PublishInput {
  readonly cycle: CycleResult;
  readonly engine: IncidentState;
  readonly incidentConfig: Readonly<IncidentConfig>;
  /** The evaluation of this cycle; null when the engine was not evaluated. */
  readonly evaluation: IncidentEvaluation | null;
  readonly forecasts: readonly ForecastStatus[];
}

/**
 * Writes one cycle's results into the metrics of docs/metrics.md with bounded cardinality: only
 * the top contributions per service, the top root causes of the open incident, and every series
 * of an entity that left the monitored set is removed (it goes stale in Prometheus instead of
 * repeating a last value). Score series exist only while a detector scores; the state series
 * always says why. The per-service and per-edge families are computed from the published cycle
 * when scraped (`EntitySeries`); the rest are prom-client metrics updated here.
 */
export class MetricsPublisher {
  readonly #m: DetectionMetrics;
  readonly #sets: Record<string, SeriesSet<string>>;
  /** Forecast anomaly counts already exported, per target, to turn totals into increments. */
  readonly #forecastAnomalies = new Map<string, number>();
  /** The per-service and per-edge series, computed from the published cycle at scrape time. */
  readonly #entities: EntitySeries;

  constructor(metrics: DetectionMetrics) {
    this.#m = metrics;
    this.#entities = new EntitySeries(metrics);
    const s = <L extends string>(metric: ConstructorParameters<typeof SeriesSet<L>>[0], labels: readonly L[]) =>
      new SeriesSet<L>(metric, labels) as unknown as SeriesSet<string>;
    this.#sets = {
      incidentOpen: s(metrics.incidentOpen, ['incident_id', 'severity']),
      incidentOpenedAt: s(metrics.incidentOpenedAt, ['incident_id']),
      rootCauseRank: s(metrics.rootCauseRank, ['incident_id', 'service']),
      rootCauseScore: s(metrics.rootCauseScore, ['incident_id', 'service']),
      forecastActual: s(metrics.forecastActual, FORECAST_LABELS),
      forecastYhat: s(metrics.forecastYhat, FORECAST_LABELS),
      forecastLower: s(metrics.forecastLower, FORECAST_LABELS),
      forecastUpper: s(metrics.forecastUpper, FORECAST_LABELS),
      forecastAnomalous: s(metrics.forecastAnomalous, FORECAST_LABELS),
      forecastAnomalies: s(metrics.forecastAnomalies, FORECAST_LABELS),
      forecastMae: s(metrics.forecastMae, FORECAST_LABELS),
      forecastMape: s(metrics.forecastMape, FORECAST_LABELS),
      forecastMase: s(metrics.forecastMase, FORECAST_LABELS),
      forecastCoverage: s(metrics.forecastCoverage, FORECAST_LABELS),
      forecastTrust: s(metrics.forecastTrust, FORECAST_LABELS),
      forecastState: s(metrics.forecastState, [...FORECAST_LABELS, 'state', 'model']),
    };
  }

  publish(input: PublishInput): void {
    const sets = Object.values(this.#sets);
    sets.forEach((set) => set.begin());
    this.#entities.update(input);
    this.#incidents(input);
    this.#forecasts(input.forecasts);
    sets.forEach((set) => set.end());

    const m = this.#m;
    m.servicesMonitored.set(input.cycle.services.size);
    m.edgesMonitored.set(input.cycle.edges.size);
    m.servicesDiscovered.set(input.cycle.discovered);
    m.prometheusUp.set(input.cycle.prometheusUp ? 1 : 0);
    m.queriesPerCycle.set(input.cycle.queries);
    for (const [phase, seconds] of Object.entries(input.cycle.phases)) {
      m.phaseDuration.set({ phase }, seconds);
    }
  }

  #incidents(input: PublishInput): void {
    const s = this.#sets;
    const m = this.#m;
    const { engine, incidentConfig: config, evaluation, cycle } = input;
    let temperature = 0;
    let affected = 0;
    for (const [entity, state] of Object.entries(engine.entities)) {
      const threshold = config.entityThresholds[entity] ?? config.entityThreshold;
      temperature += state.value;
      if (state.value >= threshold) {
        affected++;
      }
    }
    m.temperature.set(Math.round(temperature * 1e9) / 1e9);
    m.affected.set(affected);
    m.openThreshold.set(config.openThreshold);
    m.closeThreshold.set(config.closeThreshold);
    if (engine.lastAt !== null) {
      m.lastEvaluation.set(engine.lastAt);
    }
    const open = engine.incident;
    m.severity.set(open === null ? 0 : SEVERITY_VALUE[open.maxSeverity]);
    if (open !== null) {
      s.incidentOpen!.set({ incident_id: open.id, severity: open.maxSeverity }, 1);
      s.incidentOpenedAt!.set({ incident_id: open.id }, open.openedAt);
      const ranking = cycle.ranking?.incidentId === open.id ? cycle.ranking : null;
      for (const c of ranking?.candidates.slice(0, TOP_ROOT_CAUSES) ?? []) {
        s.rootCauseRank!.set({ incident_id: open.id, service: c.service }, c.rank);
        s.rootCauseScore!.set({ incident_id: open.id, service: c.service }, c.score);
      }
    }
    if (evaluation !== null && !evaluation.ignored && evaluation.incident !== null) {
      if (evaluation.rule === 'opened') {
        m.incidentsOpened.inc({ severity: evaluation.incident.openedSeverity });
      } else if (evaluation.rule === 'escalated') {
        m.incidentsEscalated.inc();
      } else if (evaluation.rule === 'closed') {
        m.incidentsClosed.inc({ severity: evaluation.incident.maxSeverity });
      }
    }
  }

  #forecasts(forecasts: readonly ForecastStatus[]): void {
    const s = this.#sets;
    const seen = new Set<string>();
    for (const f of forecasts) {
      const l: Partial<Record<ForecastLabel, string>> =
        f.scope === 'service'
          ? { scope: 'service', service: f.service ?? f.entity, signal: f.signal }
          : { scope: 'edge', client: f.client ?? '', server: f.server ?? '', signal: f.signal };
      seen.add(f.id);
      const model = f.state === 'ok' && f.decidedBy !== 'band' ? (f.model ?? 'band') : 'band';
      s.forecastState!.set({ ...l, state: f.state, model }, 1);
      s.forecastTrust!.set(l, f.trust);
      s.forecastAnomalies!.touch(l);
      const previous = this.#forecastAnomalies.get(f.id) ?? 0;
      this.#m.forecastAnomalies.inc(l, Math.max(0, f.anomalies - previous));
      this.#forecastAnomalies.set(f.id, f.anomalies);
      const optional: Array<[SeriesSet<string> | undefined, number | null]> = [
        [s.forecastActual, f.actual],
        [s.forecastYhat, f.yhat],
        [s.forecastLower, f.lower],
        [s.forecastUpper, f.upper],
        [s.forecastAnomalous, f.anomalous === null ? null : f.anomalous ? 1 : 0],
        [s.forecastMae, f.mae],
        [s.forecastMape, f.mape],
        [s.forecastMase, f.mase],
        [s.forecastCoverage, f.coverage],
      ];
      for (const [set, value] of optional) {
        if (value !== null && Number.isFinite(value)) {
          set!.set(l, value);
        }
      }
    }
    for (const id of this.#forecastAnomalies.keys()) {
      if (!seen.has(id)) {
        this.#forecastAnomalies.delete(id);
      }
    }
  }
}
