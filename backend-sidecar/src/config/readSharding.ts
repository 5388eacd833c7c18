import type { ConfigReader } from './ConfigReader.js';
import type { ShardingConfig } from './types.js';

export function readSharding(r: ConfigReader): ShardingConfig {
  const count = r.int('count', 1, { min: 1, max: 1024 });
  const index = r.int('index', 0, { min: 0 });
  if (index >= count) {
    r.report('index', `must be below sharding.count (${count}), got ${index}`, r.nodeOf('index'));
  }
  r.finish();
  return { index, count };
}
