import { learnBaselines, type BaselineStats } from '../../signals/index.js';
import { syntheticMesh } from './syntheticMesh.js';

/** Newest step of the benchmark's windows (a whole minute, so the grid is step-aligned). */
export const MESH_END = 1_700_000_040;

/** A day at 10-minute resolution: a full daily cycle, as the sidecar would query it for baselines. */
const HISTORY_STEP = 600;
const HISTORY_STEPS = 144;
const CHUNK = 500;

/**
 * Per-service baselines learned from the day before the benchmark window, with the sidecar's
 * own learnBaselines, as it does for services the model was not trained on. Generated in chunks
 * so the whole history never sits in memory at once.
 */
export function learnMeshBaselines(
  services: number,
  windowStart: number,
  seed: number
): Map<string, Record<string, BaselineStats>> {
  const learned = new Map<string, Record<string, BaselineStats>>();
  for (let from = 0; from < services; from += CHUNK) {
    const history = syntheticMesh({
      from,
      count: Math.min(CHUNK, services - from),
      steps: HISTORY_STEPS,
      stepSeconds: HISTORY_STEP,
      end: windowStart - HISTORY_STEP,
      seed,
    });
    const training = Object.fromEntries(
      history.map(({ entity, series }) => [
        entity,
        Object.fromEntries(Object.entries(series).map(([signal, points]) => [signal, points.map((p) => Number(p[1]))])),
      ])
    );
    const { baselines } = learnBaselines(training, { scope: 'service' });
    for (const { entity } of history) {
      learned.set(entity, baselines[entity] as Record<string, BaselineStats>);
    }
  }
  return learned;
}
