/**
 * Load profiles: how many requests per second the load generator aims for at each moment of a
 * run. Time is in seconds since the start of the run.
 */

/** A fixed rate, like a Locust run with a constant number of users. */
export interface SteadySpec {
  kind: 'steady';
  /** Requests per second. */
  rps: number;
}

/**
 * A daily cycle, compressible into minutes:
 * rate(t) = base * (1 + amplitude * sin(2π (t - phase) / period)).
 * The rate is at its mean at t = phase (rising), peaks at phase + period/4 and bottoms out at
 * phase + 3·period/4.
 */
export interface DiurnalSpec {
  kind: 'diurnal';
  /** Mean rate over one period, requests per second. */
  base: number;
  /** Relative swing in [0, 1): 0.5 means the rate moves between 0.5·base and 1.5·base. */
  amplitude: number;
  periodSeconds: number;
  phaseSeconds: number;
}

/** One transient: the rate is multiplied by `multiplier` during [start, start + duration). */
export interface SpikeSpec {
  startSeconds: number;
  durationSeconds: number;
  multiplier: number;
}

/**
 * A base rate with transients, like a Locust run that briefly multiplies its users (3x for a
 * minute or two, 10x for five). Spikes never overlap, so exactly one multiplier applies.
 */
export interface SpikesSpec {
  kind: 'spikes';
  /** Rate outside the spikes, requests per second (use 1 for a pure multiplier in a product). */
  base: number;
  spikes: SpikeSpec[];
}

/**
 * The product of several profiles, e.g. a diurnal cycle times spikes with base 1. All factors
 * but one should be dimensionless (base 1) for the result to stay in requests per second.
 */
export interface ProductSpec {
  kind: 'product';
  factors: LoadProfileSpec[];
}

export type LoadProfileSpec = SteadySpec | DiurnalSpec | SpikesSpec | ProductSpec;

/** A validated profile ready to be evaluated. */
export interface LoadProfile {
  readonly spec: LoadProfileSpec;
  /** Target requests per second at t seconds into the run (0 before the run starts). */
  rateAt(tSeconds: number): number;
  /** An upper bound of rateAt over all t, used to thin the arrival process. */
  readonly maxRate: number;
}

/** What a profile file holds besides the profile itself. */
export interface LoadProfileDocument {
  name?: string;
  description?: string;
  /** Suggested run length in seconds, when the profile is meant for a run of that length. */
  durationSeconds?: number;
  profile: LoadProfileSpec;
}
