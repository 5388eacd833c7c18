import type { IncidentRecord, IncidentState } from '../incidents/types.js';
import type { FeedbackRecord } from '../storage/FeedbackStore.js';

/** An entity an operator marked as a false positive of the open incident. */
export interface FalsePositiveRemoval {
  readonly entity: string;
  readonly feedbackId: string;
  /** The entity's accumulator when it was taken out. */
  readonly accumulator: number;
  /** One sentence for the incident's record. */
  readonly explanation: string;
}

/**
 * Which affected entities of the open incident leave it because of `false_positive` feedback:
 * feedback that names the incident, or names no incident and whose window reaches into it.
 * Each feedback record takes an entity out once (`applied` holds the ids already used), so an
 * entity whose anomalies go on after the feedback can come back by reaching its threshold again.
 */
export function falsePositiveRemovals(
  incident: IncidentRecord | null,
  feedback: readonly FeedbackRecord[],
  applied: ReadonlySet<string>,
  entities: IncidentState['entities']
): FalsePositiveRemoval[] {
  if (incident === null || incident.closedAt !== null) {
    return [];
  }
  const out: FalsePositiveRemoval[] = [];
  const taken = new Set<string>();
  for (const r of feedback) {
    if (r.kind !== 'false_positive' || applied.has(r.id) || taken.has(r.entity)) {
      continue;
    }
    const about = r.incidentId === undefined ? r.to >= incident.openedAt : r.incidentId === incident.id;
    if (!about || !incident.affectedEntities.includes(r.entity)) {
      continue;
    }
    const accumulator = entities[r.entity]?.value ?? 0;
    const by = r.author === undefined ? '' : ` by ${r.author}`;
    const note = r.note === undefined ? '' : ` ("${r.note}")`;
    out.push({
      entity: r.entity,
      feedbackId: r.id,
      accumulator,
      explanation:
        `${r.entity} left the affected entities of ${incident.id}: marked a false positive${by}${note} ` +
        `(feedback ${r.id}); its accumulator ${accumulator} was reset to 0`,
    });
    taken.add(r.entity);
  }
  return out;
}

/** The engine state with the removed entities out of the incident and their accumulators at 0. */
export function withoutFalsePositives(state: IncidentState, removals: readonly FalsePositiveRemoval[]): IncidentState {
  const gone = new Set(removals.map((r) => r.entity));
  const entities: IncidentState['entities'] = {};
  for (const [id, e] of Object.entries(state.entities)) {
    entities[id] = gone.has(id) ? { ...e, value: 0, peak: 0 } : e;
  }
  return {
    ...state,
    entities,
    incident:
      state.incident === null
        ? null
        : { ...state.incident, affectedEntities: state.incident.affectedEntities.filter((e) => !gone.has(e)) },
  };
}
