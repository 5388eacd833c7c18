import { finalizePreset } from './finalizePreset.js';
import { mergePresetDocuments } from './mergePresetDocuments.js';
import { PresetError } from './PresetError.js';
import { readBuiltinPresetDocument } from './readBuiltinPresetDocument.js';
import { readPresetDocument } from './readPresetDocument.js';
import type { Preset, PresetDocument } from './types.js';

export interface ParsePresetOptions {
  /** Finds the document a file `extends`. Default: the built-in presets. */
  readonly resolveBase?: (name: string) => PresetDocument;
}

/**
 * Parses and validates one preset file. A file with `extends: <preset>` is applied on top of that
 * preset (replacing, adding or, with null, removing signals) and validated as the combination.
 */
export function parsePreset(text: string, file: string, options: ParsePresetOptions = {}): Preset {
  const doc = readPresetDocument(text, file);
  if (doc.extends === undefined) {
    return finalizePreset(doc, [file]);
  }
  let base: PresetDocument;
  try {
    base = (options.resolveBase ?? readBuiltinPresetDocument)(doc.extends);
  } catch (error) {
    if (error instanceof PresetError) {
      const reason = error.issues.map((i) => i.message).join('; ');
      throw new PresetError([
        { file, line: doc.location.line, column: doc.location.column, path: 'extends', message: reason },
      ]);
    }
    throw error;
  }
  if (base.extends !== undefined) {
    throw new PresetError([
      {
        file,
        line: doc.location.line,
        column: doc.location.column,
        path: 'extends',
        message: `"${doc.extends}" itself extends "${base.extends}"; extend a complete preset`,
      },
    ]);
  }
  return finalizePreset(mergePresetDocuments(base, doc), [base.file, file]);
}
