/**
 * Shared shapes of the incident engine. Everything here is plain JSON (no Maps, Dates or
 * classes) so state can be snapshotted, exported and rebuilt after a restart.
 */

/** What the detectors concluded about one entity for one evaluation interval. */
export type IntervalState = 'anomalous' | 'normal' | 'unknown';

export type Severity = 'SEV1' | 'SEV2';

/** Which rule decided the outcome of an evaluation. */
export type IncidentRule = 'opened' | 'escalated' | 'still_open' | 'closed' | 'none';

/** How an entity's accumulator moved in one evaluation. */
export type AccumulatorChange = 'rose' | 'capped' | 'leaked' | 'at_floor' | 'held';

/** A directed call from client service to server service, as service-graph metrics name it. */
export interface CallEdge {
  client: string;
  server: string;
}

export interface EvaluationInput {
  /** Unix seconds of the interval being evaluated; must increase from one call to the next. */
  at: number;
  /**
   * Verdict per entity (service name or edge id, see edgeEntityId). Entities the engine tracks
   * but that are absent here are treated as unknown for this interval.
   */
  entities: Readonly<Record<string, IntervalState>>;
  /** Current call graph; only consulted when `chainAware` is on. */
  callGraph?: readonly CallEdge[];
}

/** Per-entity memory carried between evaluations. */
export interface EntityState {
  /** The accumulator, in [0, cap]. */
  value: number;
  /** Highest value since the accumulator last left 0; lets explanations name a faded spike. */
  peak: number;
  /** Consecutive normal intervals up to now. */
  normalStreak: number;
  /** Consecutive unknown intervals up to now. */
  unknownStreak: number;
}

export interface IncidentRecord {
  id: string;
  openedAt: number;
  closedAt: number | null;
  /** Severity when the incident opened. */
  openedSeverity: Severity;
  /** Highest severity reached; an incident escalates but never de-escalates. */
  maxSeverity: Severity;
  escalatedAt: number | null;
  peakTemperature: number;
  peakAt: number;
  /** Every entity that was over its own threshold at some evaluation of the incident, by first appearance. */
  affectedEntities: string[];
}

export interface IncidentState {
  version: 1;
  /** Unix seconds of the last evaluation taken into account; null before the first one. */
  lastAt: number | null;
  entities: Record<string, EntityState>;
  /** The open incident, if any. Closed incidents are returned by the evaluation that closed them. */
  incident: IncidentRecord | null;
}

export interface EntityExplanation {
  entity: string;
  /** The verdict used; `reported` is false when the entity was absent from the input. */
  interval: IntervalState;
  reported: boolean;
  before: number;
  after: number;
  change: AccumulatorChange;
  threshold: number;
  overThreshold: boolean;
  note: string;
}

export interface SeverityExplanation {
  severity: Severity | null;
  /** Entities whose accumulator is at or over their own threshold. */
  overThreshold: string[];
  /** How many independent faults they were counted as (1 when the chain rule merged them). */
  countedAs: number;
  /** Services in caller→callee order when the chain rule applied, else null. */
  chain: string[] | null;
  sev1MinEntities: number;
  reason: string;
}

export interface IncidentEvaluation {
  at: number;
  /** True when `at` was not after the last evaluated interval; state was left unchanged. */
  ignored: boolean;
  rule: IncidentRule;
  /** One human-readable sentence with the numbers behind `rule`. */
  summary: string;
  temperatureBefore: number;
  temperature: number;
  openThreshold: number;
  closeThreshold: number;
  severity: SeverityExplanation;
  entities: EntityExplanation[];
  /** Entities whose verdict was unknown (reported as such or absent). */
  unknownEntities: string[];
  /** The open incident after this evaluation, or the one this evaluation closed. */
  incident: IncidentRecord | null;
}
