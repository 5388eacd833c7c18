import { resolve } from 'node:path';

import type { ConfigReader } from './ConfigReader.js';
import type { SectionContext } from './SectionContext.js';
import { suggestKey } from './suggestKey.js';
import type { TelemetryConfig } from './types.js';

export const DEFAULT_PRESETS: readonly string[] = Object.freeze(['istio', 'obi', 'kubernetes']);

export function readTelemetry(r: ConfigReader, ctx: SectionContext): TelemetryConfig {
  const presets = r.stringList('presets', DEFAULT_PRESETS, (name, earlier) => {
    if (earlier.includes(name)) {
      return `"${name}" is listed twice`;
    }
    if (ctx.knownPresets.includes(name)) {
      return null;
    }
    const guess = suggestKey(name, ctx.knownPresets);
    return `unknown preset "${name}"${guess === null ? '' : `; did you mean "${guess}"?`} (built-in presets: ${ctx.knownPresets.join(', ')})`;
  });
  // Preset files are checked now so a typo in a path fails at start-up, not at the first cycle.
  const presetFiles = r
    .stringList('presetFiles', [], (file) => {
      const path = resolve(ctx.baseDir, file);
      const kind = ctx.files.kind(path);
      return kind === 'file' ? null : `${path} ${kind === 'missing' ? 'does not exist' : 'is not a file'}`;
    })
    .map((file) => resolve(ctx.baseDir, file));
  const ownerLabel = r.string('ownerLabel', 'team');
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(ownerLabel)) {
    r.report(
      'ownerLabel',
      `must be a Prometheus label name, got ${JSON.stringify(ownerLabel)}`,
      r.nodeOf('ownerLabel')
    );
  }
  if (presets.length === 0 && presetFiles.length === 0) {
    r.report('presets', 'no telemetry source: list at least one preset or preset file', r.nodeOf('presets'));
  }
  r.finish();
  return { presets, presetFiles, ownerLabel };
}
