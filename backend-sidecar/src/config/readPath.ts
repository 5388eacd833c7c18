import { resolve } from 'node:path';

import type { ConfigReader } from './ConfigReader.js';
import { describeFileError } from './describeFileError.js';
import type { SectionContext } from './SectionContext.js';

/**
 * A path setting resolved against the config file's directory. With `must` set, the path has
 * to exist as that kind now: a missing CA file or model directory fails at start-up (and in
 * `--check`), not at the first query an hour later.
 */
export function readPath(
  r: ConfigReader,
  ctx: SectionContext,
  key: string,
  fallback: string | null,
  must?: 'file' | 'directory'
): string | null {
  const given = r.optionalString(key);
  const raw = given ?? fallback;
  if (raw === null) {
    return null;
  }
  const path = resolve(ctx.baseDir, raw);
  if (must !== undefined && given !== null) {
    const kind = ctx.files.kind(path);
    if (kind !== must) {
      const what = kind === 'missing' ? 'does not exist' : `is not a ${must}`;
      r.report(key, `${path} ${what}`, r.nodeOf(key));
    } else if (must === 'file') {
      try {
        ctx.files.readText(path);
      } catch (error) {
        r.report(key, `cannot read ${path}: ${describeFileError(error)}`, r.nodeOf(key));
      }
    }
  }
  return path;
}
