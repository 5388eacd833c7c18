import { readFileSync } from 'node:fs';
import { parsePreset, type ParsePresetOptions } from './parsePreset.js';
import { PresetError } from './PresetError.js';
import type { Preset } from './types.js';

/** Reads and validates a user preset file; errors name the path as given. */
export function loadPresetFile(path: string, options: ParsePresetOptions = {}): Preset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new PresetError([{ file: path, line: 0, column: 0, path: '', message: `cannot read the file (${code})` }]);
  }
  return parsePreset(text, path, options);
}
