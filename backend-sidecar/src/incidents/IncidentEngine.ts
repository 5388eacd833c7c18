import { evaluateInterval } from './evaluateInterval.js';
import { initialIncidentState } from './initialIncidentState.js';
import { parseIncidentSnapshot } from './parseIncidentSnapshot.js';
import { resolveIncidentConfig, type IncidentConfig, type IncidentConfigInput } from './resolveIncidentConfig.js';
import type { EvaluationInput, IncidentEvaluation, IncidentRecord, IncidentState } from './types.js';

/**
 * Holds the state of evaluateInterval between calls for callers that prefer an object. The
 * clock is the caller's: every evaluation carries its own `at`, so replays and tests run
 * without timers.
 */
export class IncidentEngine {
  readonly config: Readonly<IncidentConfig>;
  #state: IncidentState;

  constructor(config: IncidentConfigInput = {}) {
    this.config = resolveIncidentConfig(config);
    this.#state = initialIncidentState();
  }

  evaluate(input: EvaluationInput): IncidentEvaluation {
    const { state, evaluation } = evaluateInterval(this.config, this.#state, input);
    this.#state = state;
    return evaluation;
  }

  /** The open incident, if any (a copy). */
  get openIncident(): IncidentRecord | null {
    const incident = this.#state.incident;
    return incident === null ? null : { ...incident, affectedEntities: [...incident.affectedEntities] };
  }

  /** A deep copy of the state as plain JSON-compatible data. */
  snapshot(): IncidentState {
    return structuredClone(this.#state);
  }

  /**
   * Replaces the state with a validated snapshot. Restoring the same snapshot twice, or
   * re-evaluating intervals it already covers, changes nothing and opens no new incident.
   */
  restore(snapshot: unknown): void {
    this.#state = parseIncidentSnapshot(snapshot, this.config);
  }
}
