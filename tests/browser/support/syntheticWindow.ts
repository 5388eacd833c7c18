/**
 * A plausible one-hour window of a service's twelve canonical signals, drawn around the model's
 * pooled baselines with seeded noise, with a latency level shift over the newest `shiftSteps`
 * steps: an input that scores somewhere inside the calibration range rather than at 0 or 1.
 */
export interface SyntheticWindowOptions {
  signals: readonly string[];
  /** `{signal: {center, scale}}`, e.g. the manifest's `normalisation.default`. */
  baselines: Readonly<Record<string, { center: number; scale: number }>>;
  end: number;
  steps: number;
  stepSeconds: number;
  seed: number;
  /** Multiples of each latency signal's scale added over the newest steps. */
  latencyShift: number;
  shiftSteps: number;
}

export function syntheticWindow(options: SyntheticWindowOptions): { timestamps: number[]; raw: number[][] } {
  let state = options.seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const timestamps = Array.from(
    { length: options.steps },
    (_, i) => options.end - (options.steps - 1 - i) * options.stepSeconds
  );
  const raw = options.signals.map((signal) => {
    const base = options.baselines[signal];
    if (!base) {
      throw new Error(`no baseline for ${signal}`);
    }
    const latency = signal.includes('latency');
    return timestamps.map((_, i) => {
      const noise = (random() - 0.5) * 0.8 * base.scale;
      const shift = latency && i >= options.steps - options.shiftSteps ? options.latencyShift * base.scale : 0;
      return Math.max(0, base.center + noise + shift);
    });
  });
  return { timestamps, raw };
}
