import type { CallGraph } from '../callgraph/types.js';
import type { IncidentEvaluation, IncidentRecord } from '../incidents/types.js';
import type { StoredRanking } from '../storage/IncidentHistory.js';
import type { CyclePhase } from '../publish/createDetectionMetrics.js';
import type { EntityScore, Verdict } from './types.js';

/** The latest value of one service signal and the source it was read from. */
export interface SignalReading {
  readonly signal: string;
  readonly source: string;
  readonly value: number | null;
}

export interface ServiceStatus extends EntityScore {
  readonly service: string;
  readonly namespace: string;
  readonly team: string;
  readonly verdict: Verdict;
  readonly trust: number;
  /** Unix seconds when the current anomalous run began; null when not anomalous. */
  readonly onset: number | null;
  readonly accumulator: number;
  readonly lastSeen: number;
  readonly readings: readonly SignalReading[];
  /** Inbound request rate (what the node graph shows as the secondary stat). */
  readonly requestRate: number | null;
}

export interface EdgeStatus extends EntityScore {
  readonly id: string;
  readonly client: string;
  readonly server: string;
  readonly verdict: Verdict;
  readonly trust: number;
  readonly onset: number | null;
  readonly accumulator: number;
  readonly requestRate: number | null;
  readonly errorRatio: number | null;
  readonly latencyP95: number | null;
  readonly sources: readonly string[];
  readonly agreement: string;
  readonly chosenSource: string | null;
  readonly rateDisagreement: number | null;
  readonly lastSeen: number;
}

/** What one detection cycle produced: the API's live views and the topology replay read it. */
export interface CycleResult {
  /** Unix seconds of the interval boundary the cycle ran for. */
  readonly at: number;
  /** Unix seconds of the newest grid point read. */
  readonly end: number;
  /** Milliseconds since the epoch when it started. */
  readonly startedAt: number;
  readonly durationSeconds: number;
  readonly phases: Readonly<Partial<Record<CyclePhase, number>>>;
  readonly queries: number;
  readonly prometheusUp: boolean;
  /** Why the cycle could not read or judge normally (e.g. Prometheus unreachable); null when fine. */
  readonly error: string | null;
  readonly services: ReadonlyMap<string, ServiceStatus>;
  readonly edges: ReadonlyMap<string, EdgeStatus>;
  /** Call graph of the monitored services (and the outside callers of their edges). */
  readonly graph: CallGraph;
  readonly discovered: number;
  readonly evaluation: Pick<
    IncidentEvaluation,
    'rule' | 'summary' | 'temperature' | 'openThreshold' | 'closeThreshold' | 'severity' | 'ignored'
  > | null;
  /** The open incident after this cycle (or the one it closed). */
  readonly incident: IncidentRecord | null;
  readonly ranking: StoredRanking | null;
}
