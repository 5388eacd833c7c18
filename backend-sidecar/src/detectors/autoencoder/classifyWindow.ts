import type { SignalWindow } from '../../signals/index.js';

export interface WindowClass {
  readonly state: 'ok' | 'warmup' | 'stale' | 'unknown';
  readonly reasons: string[];
}

/**
 * Decides whether a window can be scored, and if not, which honest state it is in. Checked in
 * this order because the earlier states explain the later ones: an entity whose data stopped
 * is stale (not merely gappy), and a new entity with too little history is warming up (not
 * broken). A window is scored only when every value is present: the model was trained on
 * complete windows, and a filled-in guess would be scored as if it had been measured.
 *
 * `staleAfterSteps` null disables the staleness check (replaying history, where the wall clock
 * says nothing about the data).
 */
export function classifyWindow(window: SignalWindow, now: number, staleAfterSteps: number | null): WindowClass {
  const steps = window.timestamps.length;
  let newest = -1;
  let start = 0;
  const absent: string[] = [];
  for (let s = 0; s < window.values.length; s++) {
    const row = window.values[s] as number[];
    let first = -1;
    for (let t = 0; t < steps; t++) {
      if (Number.isFinite(row[t])) {
        if (first < 0) {
          first = t;
        }
        if (t > newest) {
          newest = t;
        }
      }
    }
    if (first < 0) {
      absent.push(window.signals[s] as string);
    } else if (first > start) {
      start = first;
    }
  }
  if (newest < 0) {
    return { state: 'unknown', reasons: ['no data for any signal in the window'] };
  }
  if (staleAfterSteps !== null) {
    const age = now - (window.timestamps[newest] as number);
    if (age > staleAfterSteps * window.step) {
      return {
        state: 'stale',
        reasons: [
          `newest sample is ${Math.round(age)} s old (${(age / window.step).toFixed(1)} steps; limit ${staleAfterSteps} steps)`,
        ],
      };
    }
  }
  if (absent.length > 0) {
    return {
      state: 'unknown',
      reasons: window.reasons.length > 0 ? [...window.reasons] : [`no data for ${absent.join(', ')}`],
    };
  }
  let missingAfterStart = 0;
  let missingTotal = 0;
  for (const row of window.values) {
    for (let t = 0; t < steps; t++) {
      if (!Number.isFinite(row[t])) {
        missingTotal++;
        if (t >= start) {
          missingAfterStart++;
        }
      }
    }
  }
  if (start > 0 && missingAfterStart === 0) {
    return {
      state: 'warmup',
      reasons: [`history covers ${steps - start} of the ${steps} steps a window needs`],
    };
  }
  if (window.status === 'unknown') {
    return { state: 'unknown', reasons: [...window.reasons] };
  }
  if (missingTotal > 0) {
    return {
      state: 'unknown',
      reasons: [`${missingTotal} values missing after interpolation; the model scores complete windows only`],
    };
  }
  return { state: 'ok', reasons: [] };
}
