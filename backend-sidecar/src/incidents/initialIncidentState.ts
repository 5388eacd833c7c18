import type { IncidentState } from './types.js';

/** State before the first evaluation: nothing accumulated, no incident. */
export function initialIncidentState(): IncidentState {
  return { version: 1, lastAt: null, entities: {}, incident: null };
}
