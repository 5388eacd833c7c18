import { finalizePreset } from './finalizePreset.js';
import { readBuiltinPresetDocument } from './readBuiltinPresetDocument.js';
import type { Preset } from './types.js';

/** A shipped preset, validated (see BUILTIN_PRESET_NAMES). */
export function loadBuiltinPreset(name: string): Preset {
  const doc = readBuiltinPresetDocument(name);
  return finalizePreset(doc, [doc.file]);
}
