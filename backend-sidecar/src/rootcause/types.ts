import type { BadDirection } from '../signals/index.js';

/**
 * What a signal tells about where a fault sits. The ranker treats each role differently because
 * faults spread along the call graph in role-specific ways: latency and errors travel upstream
 * (a slow callee makes its callers slow), traffic changes travel downstream (a broken caller
 * stops calling), and resource saturation stays where it happens.
 */
export type SignalRole =
  /** Inbound latency as the service itself measures it. */
  | 'latency'
  /** Inbound errors as the service itself answers them. */
  | 'errors'
  /** Latency of the calls the service makes, as it sees them. */
  | 'outbound_latency'
  /** Failures of the calls the service makes. */
  | 'outbound_errors'
  /** Request rates, bytes on the wire: the amount of work arriving or leaving. */
  | 'traffic'
  /** CPU, memory, threads, syscalls: consumption inside the service. */
  | 'resource'
  /** A service-specific signal without a known meaning; counted like a resource. */
  | 'other'
  /** Describes something shared with other services (the node); shown, never used as evidence. */
  | 'context';

/**
 * One signal of one entity over the shared time grid, already compared with normal behaviour:
 * `deviation[t]` is signed and in units of "the edge of normal" (0 = typical, +1 = as high as
 * normal behaviour ever gets, -1 = as low), NaN where the value is unknown.
 * `calibrateDeviation` produces such series from raw values and a baseline period.
 */
export interface SignalDeviation {
  role: SignalRole;
  badDirection: BadDirection;
  deviation: readonly number[];
}

export interface ServiceAnomaly {
  /** Signal name → deviation series. An entry with no signals, or only NaN, means "emitted nothing". */
  signals: Readonly<Record<string, SignalDeviation>>;
}

export interface EdgeAnomaly {
  client: string;
  server: string;
  signals: Readonly<Record<string, SignalDeviation>>;
}

export interface RootCauseInput {
  /** Unix seconds of the shared grid, ascending and evenly spaced. */
  timestamps: readonly number[];
  /** When the incident or alert fired, unix seconds. */
  alertTime: number;
  /** Calls as client → server. May be empty: ranking then uses each service's own evidence only. */
  callGraph: ReadonlyArray<{ client: string; server: string }>;
  /** Every service of the call graph must have an entry (an empty one if it emits nothing). */
  services: Readonly<Record<string, ServiceAnomaly>>;
  edges?: readonly EdgeAnomaly[];
}

export interface RankOptions {
  /** Seconds before the alert that belong to the analysed window. */
  lookbackSeconds: number;
  /** Seconds after the alert that belong to the analysed window (0 when ranking live). */
  lookaheadSeconds: number;
  /** Consecutive grid points a deviation must hold to count (one point is a blip). */
  minSteps: number;
  /**
   * Weight of an anomaly that was already running before the window opened: it is more likely
   * the tail of an earlier problem than the start of this one, but it is not ruled out.
   */
  preexistingWeight: number;
  /**
   * Deviation at which evidence counts as clear (1 is the edge of normal). Between 1 and this
   * value the confidence that a neighbour's anomaly explains a service's symptoms grows linearly.
   */
  clearDeviation: number;
  /** How many signals and edges each candidate lists in its evidence. */
  maxEvidenceItems: number;
}

/** Why a signal contributed, with the time it turned anomalous. */
export interface SignalEvidence {
  signal: string;
  role: SignalRole;
  /** Deviation held for `minSteps` points at its highest, in the bad direction. */
  peak: number;
  /** Start of the anomalous run that reaches into the window (unix seconds), null when none. */
  onset: number | null;
  /** The run had started before the window opened. */
  preexisting: boolean;
  /** `peak`, reduced by `preexistingWeight` when pre-existing: what the ranking used. */
  weight: number;
}

export interface EdgeEvidence {
  client: string;
  server: string;
  /** Strongest edge signal (weighted as for SignalEvidence). */
  score: number;
  onset: number | null;
  /**
   * Share of this edge's anomaly attributed to the server (the rest goes to the client):
   * high when the server's other callers see it too, low when the client's other calls are
   * slow as well.
   */
  serverShare: number;
  signals: SignalEvidence[];
}

export interface SilenceEvidence {
  /** `no_data`: the service stopped reporting; `traffic_drop`: its traffic fell below normal. */
  kind: 'no_data' | 'traffic_drop';
  /** First grid point of the silent run. */
  since: number;
  /** Callers whose calls to the service (or whose outbound calls) turned anomalous meanwhile. */
  corroboratedBy: string[];
  /** Strongest corroborating caller-side deviation; 0 when uncorroborated. */
  corroboration: number;
}

/** Onsets less than one grid step apart count as simultaneous. */
export interface OnsetOrderEvidence {
  /** Anomalous callers whose anomaly started at or after this service's onset. */
  callersAfter: string[];
  /** Anomalous callers whose anomaly started earlier. */
  callersBefore: string[];
  /** Anomalous callees whose anomaly started no later than this service's onset. */
  calleesBefore: string[];
  /** Anomalous callees whose anomaly started later: they cannot explain this service. */
  calleesAfter: string[];
  /** Callees without an anomaly in the window. */
  calleesNormal: string[];
  /** Callees whose data is unknown in the window. */
  calleesUnknown: string[];
}

export interface Explanation {
  /** The callee whose anomaly most plausibly explains this service's symptoms. */
  service: string;
  /** In [0, 1]: how much of the symptom score was discounted. */
  confidence: number;
  onset: number | null;
}

export interface RootCauseCandidate {
  service: string;
  /** 1-based; ties are broken by earlier onset, then by name. */
  rank: number;
  /** In units of "times the edge of normal"; 0 = no evidence. */
  score: number;
  /** Which evidence channel gave the score. */
  channel: 'resource' | 'symptom' | 'silence' | 'none';
  /** Own evidence before any discount: resource and other signals. */
  resourceScore: number;
  /** Latency/errors of the service, edges attributed to it, its own outbound symptoms, before discount. */
  symptomScore: number;
  silenceScore: number;
  onset: number | null;
  /** True when every signal of the service is unknown in the window and it is not silent. */
  unknown: boolean;
  signals: SignalEvidence[];
  inEdges: EdgeEvidence[];
  outEdges: EdgeEvidence[];
  explainedBy: Explanation | null;
  onsetOrder: OnsetOrderEvidence;
  silence: SilenceEvidence | null;
  /** One sentence for people. */
  summary: string;
}

export interface RootCauseRanking {
  alertTime: number;
  window: { start: number; end: number; step: number };
  candidates: RootCauseCandidate[];
  /** Input problems that did not prevent ranking (edge series for services without data, ...). */
  notes: string[];
}
