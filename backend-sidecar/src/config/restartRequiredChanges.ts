import { diffConfig } from './diffConfig.js';
import type { SidecarConfig } from './types.js';

/**
 * Settings fixed when the process starts: the listening socket and its body limit, where state
 * lives and how much of it is kept, and which shard this replica owns (changing it live would hand services over without
 * their state).
 */
export const RESTART_REQUIRED_KEYS: readonly string[] = Object.freeze([
  'api.host',
  'api.port',
  'api.bodyLimitBytes',
  'storage.stateDir',
  'storage.maxIncidents',
  'storage.maxEvaluationNotes',
  'sharding.index',
  'sharding.count',
]);

/** Which restart-only settings differ between the config the process started with and `current`. */
export function restartRequiredChanges(started: SidecarConfig, current: SidecarConfig): string[] {
  return diffConfig(started, current).filter((path) => RESTART_REQUIRED_KEYS.includes(path));
}
