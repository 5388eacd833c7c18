import type { BaselineSet } from './BaselineSet.js';
import type { SignalWindow } from './buildWindow.js';
import { lookupBaseline, type ResolvedBaseline } from './lookupBaseline.js';
import { SignalInputError } from './SignalInputError.js';

/**
 * A window scaled against the entity's training baseline. The absolute `window.values` stay
 * alongside so explanations can quote real units ("p95 0.42 s vs. usual 0.12 s").
 */
export interface NormalisedWindow {
  readonly window: SignalWindow;
  /** `(x - center) / scale` per signal row; NaN wherever the window is missing. */
  readonly z: number[][];
  readonly baselines: Readonly<Record<string, ResolvedBaseline>>;
}

export interface NormaliseOptions {
  /**
   * Clip scores to [-clip, clip], as the model manifest's `normalisation.clip` asks for model
   * input. Leave unset for explanations, where the real distance from normal matters.
   */
  clip?: number | null;
}

/**
 * Normalises with fixed baseline statistics, never with the window's own min and max: a
 * per-window rescaling maps a service that doubled its latency onto the same picture as a
 * healthy one, which is exactly the level shift an operator needs to see.
 */
export function normaliseWindow(
  window: SignalWindow,
  baselines: BaselineSet,
  options: NormaliseOptions = {}
): NormalisedWindow {
  const clip = options.clip ?? null;
  if (clip !== null && !(typeof clip === 'number' && clip > 0)) {
    throw new SignalInputError('clip', `must be a number > 0 or null (got ${String(clip)})`);
  }
  const resolved: Record<string, ResolvedBaseline> = {};
  const z = window.signals.map((signal, row) => {
    const base = lookupBaseline(baselines, window.entity, signal);
    resolved[signal] = base;
    const values = window.values[row] ?? [];
    return values.map((x) => {
      if (!Number.isFinite(x)) {
        return Number.NaN;
      }
      const score = (x - base.center) / base.scale;
      return clip === null ? score : Math.max(-clip, Math.min(clip, score));
    });
  });
  return { window, z, baselines: resolved };
}
