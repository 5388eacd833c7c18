import type { Baseline } from './types';

/**
 * `(x - center) / scale` per cell, clipped to [-clip, clip] as the manifest's normalisation asks
 * for model input: fixed baseline statistics, never the window's own min and max. Identical in
 * arithmetic to the sidecar's normaliseWindow, so the float32 tensors match bit for bit.
 */
export function normaliseWindow(
  raw: ReadonlyArray<readonly number[]>,
  stats: readonly Baseline[],
  clip: number | null
): number[][] {
  return raw.map((row, s) => {
    const base = stats[s]!;
    return row.map((x) => {
      const score = (x - base.center) / base.scale;
      return clip === null ? score : Math.max(-clip, Math.min(clip, score));
    });
  });
}
