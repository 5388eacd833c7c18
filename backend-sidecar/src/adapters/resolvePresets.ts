import { loadBuiltinPreset } from './loadBuiltinPreset.js';
import { loadPresetFile } from './loadPresetFile.js';
import type { ParsePresetOptions } from './parsePreset.js';
import { PresetError, type PresetIssue } from './PresetError.js';
import type { Preset } from './types.js';

export interface ResolvePresetsOptions extends ParsePresetOptions {
  /** Built-in presets to use, in order of preference (earlier sources win ties in cross-checks). */
  readonly builtin?: readonly string[];
  /**
   * User preset files. A file whose source matches a listed built-in replaces it in place (an
   * override usually `extends` it); other files add sources after the built-ins.
   */
  readonly files?: readonly string[];
}

/**
 * The presets a sidecar runs with: the chosen built-ins with user files applied. Every file is
 * validated and all problems of all files are reported together.
 */
export function resolvePresets(options: ResolvePresetsOptions): Preset[] {
  const issues: PresetIssue[] = [];
  const collect = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (error instanceof PresetError) {
        issues.push(...error.issues);
        return undefined;
      }
      throw error;
    }
  };
  const ordered: Array<Preset | undefined> = (options.builtin ?? []).map((name) =>
    collect(() => loadBuiltinPreset(name))
  );
  const fromFiles = (options.files ?? []).map((file) => ({
    file,
    preset: collect(() => loadPresetFile(file, options)),
  }));
  if (issues.length > 0) {
    throw new PresetError(issues);
  }
  const presets = ordered as Preset[];
  const definedBy = new Map<string, string>();
  for (const { file, preset } of fromFiles) {
    const user = preset as Preset;
    const earlier = definedBy.get(user.source);
    if (earlier !== undefined) {
      issues.push({
        file,
        line: 0,
        column: 0,
        path: 'source',
        message: `source "${user.source}" is also defined by ${earlier}; each source may be defined once`,
      });
      continue;
    }
    definedBy.set(user.source, file);
    const index = presets.findIndex((p) => p.source === user.source);
    if (index >= 0) {
      presets[index] = user;
    } else {
      presets.push(user);
    }
  }
  if (issues.length > 0) {
    throw new PresetError(issues);
  }
  return presets;
}
