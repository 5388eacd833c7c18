import type { ConfigReader } from './ConfigReader.js';
import { readPath } from './readPath.js';
import type { SectionContext } from './SectionContext.js';
import type { StorageConfig } from './types.js';

/** The state directory is created by the server at start-up, so it need not exist yet. */
export function readStorage(r: ConfigReader, ctx: SectionContext): StorageConfig {
  const stateDir = readPath(r, ctx, 'stateDir', 'state') ?? ctx.baseDir;
  const maxIncidents = r.int('maxIncidents', 500, { min: 1, max: 100_000 });
  const maxEvaluationNotes = r.int('maxEvaluationNotes', 2000, { min: 1, max: 1_000_000 });
  r.finish();
  return { stateDir, maxIncidents, maxEvaluationNotes };
}
