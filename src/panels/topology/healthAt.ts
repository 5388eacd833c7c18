import type { DetectorState, Health } from './types';

/**
 * A node's or edge's class at `at` (epoch ms) during replay, from the onset of its current
 * anomalous run: anomalous from the onset on, healthy before it. States without a verdict keep
 * their class (an unknown service was not healthy earlier either), and an anomaly whose onset is
 * unknown stays anomalous. `at` null means now.
 */
export function healthAt(health: Health, state: DetectorState, onset: number | null, at: number | null): Health {
  if (at === null || state === 'warmup' || state === 'stale' || state === 'unknown') {
    return health;
  }
  if (onset === null) {
    return health;
  }
  return onset <= at ? 'anomalous' : 'healthy';
}
