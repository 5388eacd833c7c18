import { crossCheckEdges } from '../adapters/crossCheckEdges.js';
import { selectServiceSignals } from '../adapters/selectServiceSignals.js';
import type { ReadRange, TelemetryReading } from '../adapters/TelemetryReader.js';
import type { CallGraph } from '../callgraph/types.js';
import type { RootCauseConfig } from '../config/types.js';
import type { IncidentRecord } from '../incidents/types.js';
import { calibrateDeviation } from '../rootcause/calibrateDeviation.js';
import { rankRootCauses } from '../rootcause/rankRootCauses.js';
import { roleOfSignal } from '../rootcause/roleOfSignal.js';
import type { EdgeAnomaly, ServiceAnomaly, SignalDeviation } from '../rootcause/types.js';
import { CANONICAL_SIGNALS, type AlignedSeries, type SignalScope, type SignalSpec } from '../signals/index.js';
import type { StoredRanking } from '../storage/IncidentHistory.js';
import { indexEdgeSeries } from './indexEdgeSeries.js';
import { selectRankedServices } from './selectRankedServices.js';

export interface RootCauseAnalyzerOptions {
  readonly read: (range: ReadRange) => Promise<TelemetryReading>;
  readonly config: () => Readonly<RootCauseConfig>;
  readonly stepSeconds: number;
  /** Candidates kept with the incident. */
  readonly maxCandidates?: number;
}

export interface RootCauseRequest {
  readonly incident: IncidentRecord;
  readonly graph: CallGraph;
  /** Unix seconds of the newest grid point of the cycle. */
  readonly now: number;
  readonly signal?: AbortSignal;
}

const DEFAULT_MAX_CANDIDATES = 20;

function spec(scope: SignalScope, name: string): SignalSpec | undefined {
  return (CANONICAL_SIGNALS[scope] as Readonly<Record<string, SignalSpec>>)[name];
}

/**
 * Ranks the probable root causes of an open incident. It reads one range per signal (every
 * service at once) from `baselineSeconds` before the analysed window up to now, calibrates each
 * series of the services around the affected entities against its own baseline
 * (calibrateDeviation) and ranks them over the call graph (rankRootCauses). The analysed window
 * is [opened − lookback, opened + lookahead], where the lookahead grows with the incident's age
 * up to the lookback, so evidence that develops after the opening still counts; once it stops
 * growing the ranking is final.
 */
export class RootCauseAnalyzer {
  readonly #o: RootCauseAnalyzerOptions;

  constructor(options: RootCauseAnalyzerOptions) {
    this.#o = options;
  }

  /** Whether a ranking computed at `computedAt` for this incident could still change. */
  isFinal(incident: IncidentRecord, computedAt: number): boolean {
    const c = this.#o.config();
    return computedAt - incident.openedAt >= Math.max(c.lookbackSeconds, c.lookaheadSeconds);
  }

  async analyze(request: RootCauseRequest): Promise<StoredRanking> {
    const c = this.#o.config();
    const step = this.#o.stepSeconds;
    const { incident, graph, now } = request;
    const alertTime = incident.openedAt;
    const lookahead = Math.max(c.lookaheadSeconds, Math.min(Math.max(0, now - alertTime), c.lookbackSeconds));
    const windowStart = alertTime - c.lookbackSeconds;
    const align = (t: number): number => Math.floor(t / step) * step;
    const start = align(windowStart - c.baselineSeconds);
    const end = align(Math.min(now, alertTime + lookahead));
    const reading = await this.#o.read({
      start,
      end,
      step,
      ...(request.signal === undefined ? {} : { signal: request.signal }),
    });
    const timestamps = reading.grid.timestamps;
    const baseCount = timestamps.findIndex((t) => t >= windowStart);
    const baseEnd = baseCount < 0 ? timestamps.length : baseCount;
    const notes: string[] = [];
    const uncalibrated: string[] = [];

    const calibrate = (
      scope: SignalScope,
      entity: string,
      name: string,
      series: AlignedSeries
    ): SignalDeviation | null => {
      const role = roleOfSignal(scope, name);
      const s = spec(scope, name);
      if (role === null || s === undefined) {
        return null;
      }
      const values = series.values.map((v, i) => (series.missing[i] ? Number.NaN : v));
      const result = calibrateDeviation(
        { timestamps, values },
        { timestamps: timestamps.slice(0, baseEnd), values: values.slice(0, baseEnd) },
        {
          step,
          referenceTime: windowStart,
          level: { from: c.levelFromSeconds, to: c.levelToSeconds },
          absoluteFloor: s.scaleFloor,
          persistenceSteps: c.minSteps,
        }
      );
      if (result.status !== 'ok' && values.some((v) => Number.isFinite(v))) {
        uncalibrated.push(`${entity}.${name}`);
      }
      return { role, badDirection: s.badDirection, deviation: result.deviation };
    };

    const ranked = selectRankedServices(graph, incident.affectedEntities, c.maxServices);
    const inRanking = new Set(ranked);
    const serviceNodes = graph.nodes.filter((n) => n.kind === 'service').length;
    if (ranked.length < serviceNodes) {
      notes.push(
        `ranked the ${ranked.length} services nearest the affected entities of ${serviceNodes} in the call graph (rootCause.maxServices ${c.maxServices})`
      );
    }
    const choices = selectServiceSignals(reading);
    const services: Record<string, ServiceAnomaly> = {};
    for (const service of ranked) {
      const signals: Record<string, SignalDeviation> = {};
      for (const [name, choice] of choices.get(service) ?? []) {
        const d = calibrate('service', service, name, choice.series);
        if (d !== null) {
          signals[name] = d;
        }
      }
      services[service] = { signals };
    }
    const edgeSeries = indexEdgeSeries(reading, crossCheckEdges(reading));
    const callGraph = graph.edges
      .filter((e) => inRanking.has(e.client) && inRanking.has(e.server))
      .map((e) => ({ client: e.client, server: e.server }));
    const edges: EdgeAnomaly[] = [];
    for (const { client, server } of callGraph) {
      const id = `${client}->${server}`;
      const signals: Record<string, SignalDeviation> = {};
      for (const [name, series] of edgeSeries.get(id) ?? []) {
        const d = calibrate('edge', id, name, series);
        if (d !== null) {
          signals[name] = d;
        }
      }
      edges.push({ client, server, signals });
    }
    if (uncalibrated.length > 0) {
      notes.push(
        `${uncalibrated.length} series had too little baseline before the window to calibrate and count as unknown (e.g. ${uncalibrated.slice(0, 3).join(', ')})`
      );
    }
    const ranking = rankRootCauses(
      { timestamps, alertTime, callGraph, services, edges },
      {
        lookbackSeconds: c.lookbackSeconds,
        lookaheadSeconds: lookahead,
        minSteps: c.minSteps,
        preexistingWeight: c.preexistingWeight,
        clearDeviation: c.clearDeviation,
        maxEvidenceItems: c.maxEvidenceItems,
      }
    );
    return {
      ...ranking,
      candidates: ranking.candidates.slice(0, this.#o.maxCandidates ?? DEFAULT_MAX_CANDIDATES),
      notes: [...ranking.notes, ...notes],
      incidentId: incident.id,
      computedAt: now,
      final: this.isFinal(incident, now),
    };
  }
}
