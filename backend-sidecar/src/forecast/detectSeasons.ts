import type { Augurs } from './loadAugurs.js';
import { seasonalProfile } from './seasonalProfile.js';

export interface DetectSeasonsOptions {
  /** A period is kept when its seasonal strength reaches this (0..1). */
  minStrength: number;
  /** At most this many periods (MSTL cost grows with each one). */
  maxSeasons: number;
  /** A detected period within this relative distance of a calendar period is snapped to it. */
  snapTolerance: number;
}

export interface SeasonCandidate {
  readonly period: number;
  readonly source: 'calendar' | 'detected';
  /** Strength on the raw values (before any other season was removed). */
  readonly strength: number;
}

export interface DetectedSeasons {
  /** Periods in steps, in the order they were chosen (strongest first). */
  readonly periods: number[];
  readonly candidates: readonly SeasonCandidate[];
}

/** Hour, day and week: the cycles operational load actually follows. */
const CALENDAR_SECONDS = [3_600, 86_400, 604_800];
/** Shortest period worth modelling; below it a "season" is indistinguishable from noise. */
const MIN_PERIOD = 4;
/** Strength a multiple of a period must add before it is preferred to that period. */
const MULTIPLE_MARGIN = 0.05;

function isMultiple(long: number, short: number): boolean {
  const ratio = long / short;
  return Math.round(ratio) >= 2 && Math.abs(ratio - Math.round(ratio)) < 0.05;
}

/**
 * Chooses the seasonal periods (in steps) of a gap-free series. Candidates are the periods
 * augurs' periodogram detector proposes plus the calendar cycles (hour, day, week) that fit at
 * least twice into the history. The detector works on a power-of-two spectrum, so a daily cycle
 * often comes back as a nearby number (e.g. 256 instead of 288 five-minute steps): detected
 * periods near a calendar cycle are snapped to it. Candidates are then confirmed on the data,
 * greedily: the strongest is kept, its profile removed, and the rest re-scored, so a weekly
 * period is only added when it explains something the daily one does not.
 */
export function detectSeasons(
  augurs: Augurs,
  values: readonly number[],
  stepSeconds: number,
  options: DetectSeasonsOptions
): DetectedSeasons {
  const n = values.length;
  const maxPeriod = Math.floor(n / 2);
  const calendar = CALENDAR_SECONDS.map((s) => Math.round(s / stepSeconds)).filter(
    (p) => p >= MIN_PERIOD && p <= maxPeriod
  );
  const sources = new Map<number, 'calendar' | 'detected'>();
  for (const p of calendar) {
    sources.set(p, 'calendar');
  }
  if (maxPeriod > MIN_PERIOD) {
    let detected: number[] = [];
    try {
      detected = Array.from(
        augurs.seasonalities(Float64Array.from(values), { minPeriod: MIN_PERIOD, maxPeriod, threshold: 0.9 })
      );
    } catch {
      // Detection only proposes candidates; the calendar cycles are still examined.
    }
    for (const d of detected) {
      const snapped = calendar.find((c) => Math.abs(d - c) <= options.snapTolerance * c);
      // A cycle the calendar does not explain must repeat at least three times before it is
      // believed: with two, leakage from a longer calendar cycle that does not fit yet (a week
      // in twelve days of data) passes for a season of its own.
      if (snapped === undefined && !sources.has(d) && n >= 3 * d) {
        sources.set(d, 'detected');
      }
    }
  }
  const candidates: SeasonCandidate[] = [...sources.entries()].map(([period, source]) => ({
    period,
    source,
    strength: seasonalProfile(values, period).strength,
  }));

  const periods: number[] = [];
  let residual = Array.from(values);
  let remaining = candidates.map((c) => c.period);
  while (periods.length < options.maxSeasons && remaining.length > 0) {
    const scored = remaining
      .map((period) => ({ period, ...seasonalProfile(residual, period) }))
      .sort((a, b) => b.strength - a.strength || a.period - b.period);
    const strongest = scored[0];
    if (strongest === undefined || strongest.strength < options.minStrength) {
      break;
    }
    // A pattern that repeats daily also repeats weekly; the longer period then scores about the
    // same (plus fitted noise). Prefer the shortest period that divides it and explains nearly
    // as much; the longer one is still added later if it explains more than that.
    const best =
      scored
        .filter(
          (c) =>
            c.period < strongest.period &&
            c.strength >= strongest.strength - MULTIPLE_MARGIN &&
            isMultiple(strongest.period, c.period)
        )
        .sort((a, b) => a.period - b.period)[0] ?? strongest;
    periods.push(best.period);
    residual = residual.map((v, i) => v - (best.profile[i % best.period] as number));
    remaining = remaining.filter((p) => p !== best.period);
  }
  return { periods, candidates };
}
