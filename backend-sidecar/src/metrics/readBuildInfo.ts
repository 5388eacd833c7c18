import { readFileSync } from 'node:fs';

import type { BuildInfo } from './createSidecarMetrics.js';

/**
 * Version from the package manifest (two levels up in the source tree and in the image) and the
 * revision stamped into the image as SEISMO_BUILD_REVISION.
 */
export function readBuildInfo(env: Readonly<Record<string, string | undefined>>): BuildInfo {
  let version = 'unknown';
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    if (typeof manifest.version === 'string') {
      version = manifest.version;
    }
  } catch {
    // A missing manifest must not stop the sidecar; the metric then says "unknown".
  }
  const revision = env.SEISMO_BUILD_REVISION;
  return { version, revision: revision !== undefined && revision !== '' ? revision : 'unknown' };
}
