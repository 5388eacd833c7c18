import type { CycleResult, EdgeStatus, ServiceStatus } from '../detection/CycleResult.js';
import type { IncidentConfig } from '../incidents/resolveIncidentConfig.js';
import type { IncidentState } from '../incidents/types.js';
import type { ComputedMetric, ComputedSample } from './ComputedMetric.js';
import type { DetectionMetrics } from './createDetectionMetrics.js';

/** Per-service contributions exported: the top three keep cardinality bounded. */
export const TOP_CONTRIBUTIONS = 3;

export interface EntitySeriesInput {
  readonly cycle: CycleResult;
  readonly engine: IncidentState;
  readonly incidentConfig: Readonly<IncidentConfig>;
}

type Samples<L extends string> = Array<ComputedSample<L>>;

/**
 * The per-service and per-edge series of docs/metrics.md (scores, states, contributions, trust,
 * accumulators, ...), computed at scrape time from the last published cycle (`ComputedMetric`).
 * A series exists exactly while its entity is in that cycle and, for scores, while a detector
 * scores it; the interval counters are kept here and forgotten with their entity.
 */
export class EntitySeries {
  #input: EntitySeriesInput | null = null;
  /** Anomalous intervals counted per service and per edge (their counters' values). */
  #serviceIntervals = new Map<string, number>();
  #edgeIntervals = new Map<string, number>();

  constructor(m: DetectionMetrics) {
    const from = <L extends string>(metric: ComputedMetric<L>, collect: (input: EntitySeriesInput) => Samples<L>) =>
      metric.collectFrom(() => (this.#input === null ? [] : collect(this.#input)));
    from(m.serviceState, ({ cycle }) =>
      [...cycle.services.values()].map((s) => ({
        labels: { service: s.service, detector: s.detector, state: s.state },
        value: 1,
      }))
    );
    from(m.serviceInfo, ({ cycle }) =>
      [...cycle.services.values()].map((s) => ({
        labels: { service: s.service, namespace: s.namespace, team: s.team },
        value: 1,
      }))
    );
    from(m.serviceAnomalousIntervals, ({ cycle }) =>
      [...cycle.services.values()].map((s) => ({
        labels: { service: s.service },
        value: this.#serviceIntervals.get(s.service) ?? 0,
      }))
    );
    from(m.serviceScore, ({ cycle }) => serviceValues(cycle, (s) => s.score));
    from(m.serviceThreshold, ({ cycle }) => serviceValues(cycle, (s) => (s.score === null ? null : s.threshold)));
    from(m.serviceAnomalous, ({ cycle }) =>
      serviceValues(cycle, (s) => (s.score === null || s.anomalous === null ? null : s.anomalous ? 1 : 0))
    );
    from(m.serviceError, ({ cycle }) => serviceValues(cycle, (s) => (s.score === null ? null : s.error)));
    from(m.serviceContribution, ({ cycle }) => {
      const out: Samples<'service' | 'signal'> = [];
      for (const s of cycle.services.values()) {
        if (s.score === null) {
          continue;
        }
        const top = Object.entries(s.contributions ?? {})
          .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
          .slice(0, TOP_CONTRIBUTIONS);
        for (const [signal, value] of top) {
          out.push({ labels: { service: s.service, signal }, value });
        }
      }
      return out;
    });

    from(m.edgeState, ({ cycle }) =>
      [...cycle.edges.values()].map((e) => ({
        labels: { client: e.client, server: e.server, detector: e.detector, state: e.state },
        value: 1,
      }))
    );
    from(m.edgeAnomalousIntervals, ({ cycle }) =>
      [...cycle.edges.values()].map((e) => ({
        labels: { client: e.client, server: e.server },
        value: this.#edgeIntervals.get(e.id) ?? 0,
      }))
    );
    from(m.edgeSources, ({ cycle }) => {
      const out: Samples<'client' | 'server' | 'agreement'> = [];
      for (const e of cycle.edges.values()) {
        if (e.sources.length > 0) {
          out.push({ labels: { client: e.client, server: e.server, agreement: e.agreement }, value: e.sources.length });
        }
      }
      return out;
    });
    from(m.edgeDisagreement, ({ cycle }) => edgeValues(cycle, (e) => e.rateDisagreement));
    from(m.edgeScore, ({ cycle }) => edgeValues(cycle, (e) => e.score));
    from(m.edgeAnomalous, ({ cycle }) =>
      edgeValues(cycle, (e) => (e.score === null || e.anomalous === null ? null : e.anomalous ? 1 : 0))
    );
    from(m.edgeContribution, ({ cycle }) => {
      const out: Samples<'client' | 'server' | 'signal'> = [];
      for (const e of cycle.edges.values()) {
        if (e.score === null) {
          continue;
        }
        for (const [signal, value] of Object.entries(e.contributions ?? {})) {
          out.push({ labels: { client: e.client, server: e.server, signal }, value });
        }
      }
      return out;
    });

    from(m.trust, ({ cycle }) => {
      const out: Samples<'scope' | 'entity'> = [];
      for (const s of cycle.services.values()) {
        out.push({ labels: { scope: 'service', entity: s.service }, value: s.trust });
      }
      for (const e of cycle.edges.values()) {
        out.push({ labels: { scope: 'edge', entity: e.id }, value: e.trust });
      }
      return out;
    });
    from(m.accumulator, ({ engine }) =>
      Object.entries(engine.entities).map(([entity, state]) => ({
        labels: { scope: scopeOf(entity), entity },
        value: state.value,
      }))
    );
    from(m.entityThreshold, ({ engine, incidentConfig }) =>
      Object.keys(engine.entities).map((entity) => ({
        labels: { scope: scopeOf(entity), entity },
        value: incidentConfig.entityThresholds[entity] ?? incidentConfig.entityThreshold,
      }))
    );
  }

  /** Publishes a cycle: its entities' series replace the previous cycle's; interval counters advance. */
  update(input: EntitySeriesInput): void {
    this.#input = input;
    const services = new Map<string, number>();
    for (const s of input.cycle.services.values()) {
      services.set(s.service, (this.#serviceIntervals.get(s.service) ?? 0) + (s.verdict === 'anomalous' ? 1 : 0));
    }
    this.#serviceIntervals = services;
    const edges = new Map<string, number>();
    for (const e of input.cycle.edges.values()) {
      edges.set(e.id, (this.#edgeIntervals.get(e.id) ?? 0) + (e.verdict === 'anomalous' ? 1 : 0));
    }
    this.#edgeIntervals = edges;
  }
}

function scopeOf(entity: string): 'service' | 'edge' {
  return entity.includes('->') ? 'edge' : 'service';
}

function serviceValues(cycle: CycleResult, value: (s: ServiceStatus) => number | null): Samples<'service'> {
  const out: Samples<'service'> = [];
  for (const s of cycle.services.values()) {
    const v = value(s);
    if (v !== null) {
      out.push({ labels: { service: s.service }, value: v });
    }
  }
  return out;
}

function edgeValues(cycle: CycleResult, value: (e: EdgeStatus) => number | null): Samples<'client' | 'server'> {
  const out: Samples<'client' | 'server'> = [];
  for (const e of cycle.edges.values()) {
    const v = value(e);
    if (v !== null) {
      out.push({ labels: { client: e.client, server: e.server }, value: v });
    }
  }
  return out;
}
