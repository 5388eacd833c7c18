import type { ConfigReader } from './ConfigReader.js';
import { readPath } from './readPath.js';
import type { SectionContext } from './SectionContext.js';
import type { StorageConfig } from './types.js';

/** The state directory is created by the server at start-up, so it need not exist yet. */
export function readStorage(r: ConfigReader, ctx: SectionContext): StorageConfig {
  const stateDir = readPath(r, ctx, 'stateDir', 'state') ?? ctx.baseDir;
  r.finish();
  return { stateDir };
}
