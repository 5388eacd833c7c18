/** Deterministic synthetic series for the forecaster tests. */

/** Standard normal draws from a seeded linear congruential generator (Box–Muller). */
export function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** level + amplitude · sin(2π i / period) + slope · i, without noise. */
export function seasonalSignal(length: number, period: number, level = 50, amplitude = 20, slope = 0): number[] {
  return Array.from({ length }, (_, i) => level + amplitude * Math.sin((2 * Math.PI * i) / period) + slope * i);
}

export function withNoise(values: readonly number[], sigma: number, seed: number): number[] {
  const z = gaussian(seed);
  return values.map((v) => v + sigma * z());
}

export function meanAbs(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, v, i) => s + Math.abs(v - (b[i] as number)), 0) / a.length;
}

/** A clock the test moves by hand. */
export class FakeClock {
  t = 0;
  now(): number {
    return this.t;
  }
}

export const T0 = 1_700_000_000;
