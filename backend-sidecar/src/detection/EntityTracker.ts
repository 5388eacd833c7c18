import type { Verdict } from './types.js';

interface Track {
  /** Unix seconds when the current anomalous run began; null when not anomalous. */
  onset: number | null;
  /** Bit i set: the i-th most recent interval had a known verdict. */
  known: number;
  intervals: number;
}

/** Intervals the trust's coverage is measured over. */
export const COVERAGE_INTERVALS = 20;

/**
 * Per-entity memory across cycles that the detectors do not keep: when the current anomalous run
 * began (the onset panels replay spread from), and the share of recent intervals with a known
 * verdict (the coverage part of the detector trust). An unknown interval neither starts nor ends
 * an anomalous run.
 */
export class EntityTracker {
  readonly #tracks = new Map<string, Track>();

  update(entity: string, at: number, verdict: Verdict): { onset: number | null; coverage: number } {
    let t = this.#tracks.get(entity);
    if (t === undefined) {
      t = { onset: null, known: 0, intervals: 0 };
      this.#tracks.set(entity, t);
    }
    if (verdict === 'anomalous') {
      t.onset ??= at;
    } else if (verdict === 'normal') {
      t.onset = null;
    }
    const mask = (1 << COVERAGE_INTERVALS) - 1;
    t.known = ((t.known << 1) | (verdict === 'unknown' ? 0 : 1)) & mask;
    t.intervals = Math.min(COVERAGE_INTERVALS, t.intervals + 1);
    return { onset: t.onset, coverage: popcount(t.known) / COVERAGE_INTERVALS };
  }

  onset(entity: string): number | null {
    return this.#tracks.get(entity)?.onset ?? null;
  }

  remove(entity: string): void {
    this.#tracks.delete(entity);
  }

  retain(entities: ReadonlySet<string>): void {
    for (const id of this.#tracks.keys()) {
      if (!entities.has(id)) {
        this.#tracks.delete(id);
      }
    }
  }
}

function popcount(x: number): number {
  let n = 0;
  let v = x;
  while (v !== 0) {
    v &= v - 1;
    n++;
  }
  return n;
}
