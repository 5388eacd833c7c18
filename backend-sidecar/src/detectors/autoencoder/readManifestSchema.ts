import { readFileSync } from 'node:fs';

/**
 * The manifest schema shipped beside the models. Read on each call (a few kilobytes, once per
 * model load) rather than cached in module state, so a test or a newer schema on disk is seen.
 */
export function readManifestSchema(): Readonly<Record<string, unknown>> {
  const url = new URL('../../../models/manifest.schema.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}
