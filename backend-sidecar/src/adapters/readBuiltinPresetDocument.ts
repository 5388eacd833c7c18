import { readFileSync } from 'node:fs';
import { BUILTIN_PRESET_NAMES } from './builtinPresetNames.js';
import { PresetError } from './PresetError.js';
import { readPresetDocument } from './readPresetDocument.js';
import type { PresetDocument } from './types.js';

/**
 * The document of a shipped preset. Errors name it "presets/<name>.yaml" (relative to this
 * module), which is where a maintainer finds it in the repository.
 */
export function readBuiltinPresetDocument(name: string): PresetDocument {
  const display = `presets/${name}.yaml`;
  if (!(BUILTIN_PRESET_NAMES as readonly string[]).includes(name)) {
    throw new PresetError([
      {
        file: display,
        line: 0,
        column: 0,
        path: '',
        message: `no built-in preset "${name}" (built-in: ${BUILTIN_PRESET_NAMES.join(', ')})`,
      },
    ]);
  }
  const text = readFileSync(new URL(`./presets/${name}.yaml`, import.meta.url), 'utf8');
  return readPresetDocument(text, display);
}
