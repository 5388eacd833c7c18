/**
 * Seeded pseudo-random numbers for everything the demo decides by chance (latency samples,
 * error draws, arrival times), so that a run is replayable from its seed.
 *
 * mulberry32 is small, fast and good enough for simulation; it is not for cryptography.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Exponential with the given rate (events per unit). */
  exponential(rate: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Log-normal parameterised by its median and 99th percentile. */
  logNormal(median: number, p99: number): number;
  /** A new independent stream derived from this one and a label, so that adding a draw in one
   * component does not shift the draws of another. */
  fork(label: string): Random;
}

const Z_99 = 2.3263478740408408;

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const u1 = 1 - next();
    const u2 = next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  return {
    next,
    normal,
    exponential(rate: number): number {
      if (!(rate > 0)) {
        throw new RangeError(`exponential rate must be > 0, got ${rate}`);
      }
      return -Math.log(1 - next()) / rate;
    },
    logNormal(median: number, p99: number): number {
      if (!(median > 0) || !(p99 >= median)) {
        throw new RangeError(`logNormal needs 0 < median <= p99, got median=${median} p99=${p99}`);
      }
      const sigma = Math.log(p99 / median) / Z_99;
      return median * Math.exp(sigma * normal());
    },
    fork(label: string): Random {
      return createRandom(hashLabel(label, seed));
    },
  };
}

/** FNV-1a over the label, mixed with the parent seed. */
function hashLabel(label: string, seed: number): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
