import type { ModelManifest } from './types.js';

/** The shape of the data a model is asked to score. */
export interface DataShape {
  /** Ordered signal list of the windows (row order). */
  signals?: readonly string[];
  /** Steps per window. */
  windowLength?: number;
  /** Seconds between steps. */
  stepSeconds?: number;
}

function list(names: readonly string[]): string {
  return `[${names.join(', ')}]`;
}

function signalDifference(model: readonly string[], data: readonly string[]): string | null {
  if (model.length === data.length && model.every((s, i) => s === data[i])) {
    return null;
  }
  const missing = model.filter((s) => !data.includes(s));
  const extra = data.filter((s) => !model.includes(s));
  const parts: string[] = [];
  if (missing.length > 0) {
    parts.push(`the data lacks ${list(missing)}`);
  }
  if (extra.length > 0) {
    parts.push(`the model does not know ${list(extra)}`);
  }
  if (parts.length === 0) {
    // Same names, different order: feeding it would put every signal into the wrong channel.
    const at = model.findIndex((s, i) => s !== data[i]);
    parts.push(`same signals in a different order (first at position ${at}: model "${model[at]}", data "${data[at]}")`);
  }
  return `signals: model ${list(model)}, data ${list(data)}: ${parts.join('; ')}`;
}

/**
 * Every way the manifest disagrees with the data, one sentence each (empty when they match).
 * Scoring such data would be silently wrong, so callers refuse the model or fall back.
 */
export function describeMismatch(manifest: ModelManifest, data: DataShape): string[] {
  const problems: string[] = [];
  if (data.signals !== undefined) {
    const diff = signalDifference(manifest.signals, data.signals);
    if (diff !== null) {
      problems.push(diff);
    }
  }
  if (data.windowLength !== undefined && data.windowLength !== manifest.windowLength) {
    problems.push(`window.length: model ${manifest.windowLength} steps, data ${data.windowLength} steps`);
  }
  if (data.stepSeconds !== undefined && Math.abs(data.stepSeconds - manifest.stepSeconds) > 1e-9) {
    problems.push(`window.step_seconds: model ${manifest.stepSeconds} s, data ${data.stepSeconds} s`);
  }
  return problems;
}
