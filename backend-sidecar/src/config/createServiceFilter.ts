import { createSelectionJudge, type ServiceIdentity } from './createSelectionJudge.js';
import type { SelectionConfig, ShardingConfig } from './types.js';

export type { ServiceIdentity };

/**
 * Whether this replica monitors a service: it matches an include rule (or there are none),
 * matches no exclude rule, and hashes into this replica's shard. Regexes are compiled once.
 */
export function createServiceFilter(
  selection: SelectionConfig,
  sharding: ShardingConfig
): (s: ServiceIdentity) => boolean {
  const judge = createSelectionJudge(selection, sharding);
  return (s) => judge(s).monitored;
}
