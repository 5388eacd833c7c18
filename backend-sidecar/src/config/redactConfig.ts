import type { SidecarConfig } from './types.js';

/**
 * The config as plain JSON with every secret replaced by "<redacted>". Secrets are Secret
 * objects whose JSON form is already redacted, so a JSON round trip is the whole job and no
 * list of secret keys can fall out of date.
 */
export function redactConfig(config: SidecarConfig): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
}
