import { createRandom } from '../random.js';
import type { EntrypointSpec } from '../topology/types.js';
import type { LoadProfile } from './types.js';

export interface Arrival {
  /** Position in the schedule, from 0. */
  index: number;
  /** Seconds since the start of the run. */
  tSeconds: number;
  entry: EntrypointSpec;
}

export interface ArrivalOptions {
  profile: LoadProfile;
  /** The request mix; each is chosen with probability weight / total weight. */
  entrypoints: readonly EntrypointSpec[];
  seed: number;
  /** Arrivals are generated in [0, durationSeconds). */
  durationSeconds: number;
}

/**
 * The open-loop arrival schedule: a non-homogeneous Poisson process with intensity
 * profile.rateAt(t), drawn by thinning (Lewis and Shedler): candidates come at the constant
 * rate profile.maxRate and each is kept with probability rateAt(t) / maxRate.
 *
 * The schedule is a pure function of (profile, entrypoints, seed, duration), so a run can be
 * replayed and tested without waiting. Candidate times, thinning and the request mix use
 * separate random streams: changing the mix's weights leaves the arrival times unchanged.
 */
export function generateArrivals(options: ArrivalOptions): Generator<Arrival, void, undefined> {
  const { profile, entrypoints, seed, durationSeconds } = options;
  // Checked here rather than in the generator body, which would only run on the first next().
  if (!(durationSeconds >= 0 && Number.isFinite(durationSeconds))) {
    throw new RangeError(`durationSeconds must be a finite number >= 0, got ${durationSeconds}`);
  }
  const maxRate = profile.maxRate;
  if (!(maxRate >= 0 && Number.isFinite(maxRate))) {
    throw new RangeError(`profile maxRate must be a finite number >= 0, got ${maxRate}`);
  }
  return thin(profile, entrypointPicker(entrypoints), seed, durationSeconds);
}

function* thin(
  profile: LoadProfile,
  pick: (u: number) => EntrypointSpec,
  seed: number,
  durationSeconds: number
): Generator<Arrival, void, undefined> {
  const maxRate = profile.maxRate;
  if (maxRate === 0) {
    return;
  }
  const root = createRandom(seed);
  const gaps = root.fork('load/arrival-gaps');
  const thinning = root.fork('load/thinning');
  const mix = root.fork('load/mix');
  let t = 0;
  let index = 0;
  for (;;) {
    t += gaps.exponential(maxRate);
    if (t >= durationSeconds) {
      return;
    }
    const rate = profile.rateAt(t);
    if (rate > maxRate * (1 + 1e-9)) {
      throw new RangeError(`profile rate ${rate} at t=${t}s exceeds its declared maxRate ${maxRate}`);
    }
    if (thinning.next() * maxRate < rate) {
      yield { index: index++, tSeconds: t, entry: pick(mix.next()) };
    }
  }
}

/** Maps a uniform draw in [0, 1) to an entrypoint in proportion to the weights. */
function entrypointPicker(entrypoints: readonly EntrypointSpec[]): (u: number) => EntrypointSpec {
  if (entrypoints.length === 0) {
    throw new RangeError('the load mix needs at least one entrypoint');
  }
  const cumulative: number[] = [];
  let total = 0;
  for (const e of entrypoints) {
    if (!(e.weight >= 0 && Number.isFinite(e.weight))) {
      throw new RangeError(
        `entrypoint ${e.service}/${e.endpoint} has weight ${e.weight}; weights must be finite and >= 0`
      );
    }
    total += e.weight;
    cumulative.push(total);
  }
  if (!(total > 0)) {
    throw new RangeError('the entrypoint weights add up to 0');
  }
  return (u) => {
    const target = u * total;
    // Binary search: generated topologies can have a hundred edge entrypoints.
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! > target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return entrypoints[lo]!;
  };
}
