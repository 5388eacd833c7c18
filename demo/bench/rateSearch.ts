/**
 * The sustained-rate search of the mesh benchmark: whether one load step kept up, and which rate
 * to try next. Pure functions of the measurements, so the stopping rule can be tested without a
 * mesh.
 */

/** What one load step at a fixed offered rate produced, as the load generator counted it. */
export interface StepMeasurement {
  offeredRps: number;
  durationSeconds: number;
  /** Arrivals the open-loop schedule produced (sent + dropped). */
  arrivals: number;
  sent: number;
  ok: number;
  /** Error statuses and failed sends. */
  errors: number;
  /** Arrivals that found the in-flight limit reached. */
  dropped: number;
  /** Requests still outstanding when the step's drain time was over. */
  abandoned: number;
  /** End-to-end p99 as the load generator saw it, NaN when nothing answered. */
  p99Ms: number;
}

/** How close to "achieved = offered, no drops, no errors, p99 flat" a step must be to count as kept up. */
export interface KeepUpThresholds {
  /** ok / arrivals at least this: the mesh answered (successfully) what was offered. */
  minOkShare: number;
  /** dropped / arrivals at most this. */
  maxDropShare: number;
  /** (errors + abandoned) / sent at most this. */
  maxErrorShare: number;
  /** p99 at most max(p99Factor × baseline p99, baseline p99 + p99SlackMs). */
  p99Factor: number;
  p99SlackMs: number;
}

/**
 * Shares are compared to arrivals actually drawn, not to rate × duration: the schedule is a
 * Poisson process, whose count in a 10 s step at 20 rps varies by ±7 % (one standard deviation)
 * on its own. The p99 limit has an absolute slack because at low rates p99 is a few milliseconds,
 * where a factor alone would fail on timer jitter.
 */
export const DEFAULT_THRESHOLDS: Readonly<KeepUpThresholds> = Object.freeze({
  minOkShare: 0.99,
  maxDropShare: 0.001,
  maxErrorShare: 0.005,
  p99Factor: 3,
  p99SlackMs: 25,
});

export interface StepVerdict {
  keptUp: boolean;
  /** Why not, one phrase per failed criterion; empty when kept up. */
  reasons: string[];
}

/**
 * Judges one step. `baselineP99Ms` is the p99 of the lowest-rate step (undefined while judging
 * that step itself, whose p99 is then not judged: there is nothing to compare it with).
 */
export function judgeStep(
  m: StepMeasurement,
  baselineP99Ms: number | undefined,
  t: Readonly<KeepUpThresholds> = DEFAULT_THRESHOLDS
): StepVerdict {
  const reasons: string[] = [];
  if (m.arrivals <= 0) {
    return { keptUp: false, reasons: ['no arrivals: the step was too short for its rate'] };
  }
  const okShare = m.ok / m.arrivals;
  if (okShare < t.minOkShare) {
    reasons.push(`only ${pct(okShare)} of arrivals answered ok (need ${pct(t.minOkShare)})`);
  }
  const dropShare = m.dropped / m.arrivals;
  if (dropShare > t.maxDropShare) {
    reasons.push(`${pct(dropShare)} dropped at the in-flight limit (max ${pct(t.maxDropShare)})`);
  }
  const errorShare = m.sent > 0 ? (m.errors + m.abandoned) / m.sent : 0;
  if (errorShare > t.maxErrorShare) {
    reasons.push(`${pct(errorShare)} errors or unanswered (max ${pct(t.maxErrorShare)})`);
  }
  if (!Number.isFinite(m.p99Ms)) {
    reasons.push('no latency measured');
  } else if (baselineP99Ms !== undefined && Number.isFinite(baselineP99Ms)) {
    const limit = p99LimitMs(baselineP99Ms, t);
    if (m.p99Ms > limit) {
      reasons.push(
        `p99 ${m.p99Ms.toFixed(1)} ms above ${limit.toFixed(1)} ms (baseline ${baselineP99Ms.toFixed(1)} ms)`
      );
    }
  }
  return { keptUp: reasons.length === 0, reasons };
}

export function p99LimitMs(baselineP99Ms: number, t: Readonly<KeepUpThresholds> = DEFAULT_THRESHOLDS): number {
  return Math.max(t.p99Factor * baselineP99Ms, baselineP99Ms + t.p99SlackMs);
}

export interface SearchOptions {
  /** First rate tried; also the moderate rate the latency figures are taken at. */
  startRps: number;
  /** Factor between rates while every step so far kept up (and divisor below a failed start). */
  growth: number;
  /** Stop refining once the failing rate is within this fraction above the sustained one (0.15: 15 %). */
  resolution: number;
  /** Hard bound on the number of steps, whatever the outcome. */
  maxSteps: number;
  /** Never try less than this. */
  minRps: number;
}

export interface TriedRate {
  rps: number;
  keptUp: boolean;
}

/**
 * The bracket around the sustained rate: `hi` the lowest rate that failed, `lo` the highest rate
 * below it that kept up. A pass above a failure (noise on a shared machine) is ignored, so the
 * answer errs low rather than reporting a rate that failed once.
 */
export function bracket(tried: readonly TriedRate[]): { lo: number | undefined; hi: number | undefined } {
  const failures = tried.filter((s) => !s.keptUp).map((s) => s.rps);
  const hi = failures.length > 0 ? Math.min(...failures) : undefined;
  const passes = tried.filter((s) => s.keptUp && (hi === undefined || s.rps < hi)).map((s) => s.rps);
  const lo = passes.length > 0 ? Math.max(...passes) : undefined;
  return { lo, hi };
}

/**
 * The next rate to try, or undefined when the search is over: grow geometrically while steps keep
 * up, shrink below a failed start, then bisect the bracket geometrically until it is within
 * `resolution` or the next rate would repeat one already tried. Never more than maxSteps steps.
 */
export function nextRate(tried: readonly TriedRate[], o: SearchOptions): number | undefined {
  if (tried.length >= o.maxSteps) {
    return undefined;
  }
  if (tried.length === 0) {
    return roundRate(Math.max(o.minRps, o.startRps));
  }
  const { lo, hi } = bracket(tried);
  let next: number;
  if (hi === undefined) {
    next = roundRate(lo! * o.growth);
  } else if (lo === undefined) {
    next = roundRate(hi / o.growth);
    if (next < o.minRps) {
      return undefined;
    }
  } else {
    if (hi <= lo * (1 + o.resolution)) {
      return undefined;
    }
    next = roundRate(Math.sqrt(lo * hi));
    if (next <= lo || next >= hi) {
      return undefined;
    }
  }
  return tried.some((s) => s.rps === next) ? undefined : next;
}

/** The highest rate that kept up below every failure; 0 when none did. */
export function sustainedRate(tried: readonly TriedRate[]): number {
  return bracket(tried).lo ?? 0;
}

/** Two significant digits, at least 1: rates a reader can compare at a glance. */
export function roundRate(rps: number): number {
  if (!(rps > 0) || !Number.isFinite(rps)) {
    return 1;
  }
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(rps)) - 1);
  return Math.max(1, Math.round(rps / magnitude) * magnitude);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(share < 0.01 ? 2 : 1)} %`;
}
