import { pathToFileURL } from 'node:url';

import { loadAugurs, type Augurs } from '../loadAugurs.js';
import type { FitContext } from '../models/ForecastModel.js';
import { modelFor } from '../models/modelFor.js';
import type { Clock, ModelKind } from '../types.js';

export interface FitTimeResult {
  readonly model: ModelKind;
  readonly points: number;
  readonly stepSeconds: number;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export interface MeasureFitTimeOptions {
  readonly augurs: Augurs;
  readonly clock: Clock;
  /** Timed runs per model after one untimed warm-up run (default 5). */
  readonly runs?: number;
  readonly models?: readonly ModelKind[];
}

/** One day of one-minute points. */
const POINTS = 1_440;
const STEP = 60;
/** A one-hour cycle: the longest season one day of data can hold twice or more. */
const PERIOD = 60;

/** Deterministic noise (a linear congruential generator), so every run fits the same series. */
function series(): number[] {
  let state = 12_345;
  const uniform = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from(
    { length: POINTS },
    (_, i) => 100 + 0.01 * i + 20 * Math.sin((2 * Math.PI * i) / PERIOD) + 5 * (uniform() - 0.5)
  );
}

/**
 * Fit time per series, as the detection benchmark reports it: each model is fitted on one day of
 * one-minute points (one hourly season) and forecasts the next hour, which is what one refit of
 * a forecaster costs. The first run of each model is not timed (it includes WebAssembly warm-up).
 */
export function measureFitTime(options: MeasureFitTimeOptions): FitTimeResult[] {
  const runs = options.runs ?? 5;
  const values = series();
  const context: FitContext = {
    augurs: options.augurs,
    start: 1_700_000_000,
    stepSeconds: STEP,
    seasons: [PERIOD],
    level: 0.95,
  };
  return (options.models ?? ['mstl', 'prophet']).map((kind) => {
    const model = modelFor(kind);
    model.forecast(values, context, PERIOD);
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = options.clock.now();
      model.forecast(values, context, PERIOD);
      times.push(options.clock.now() - t0);
    }
    times.sort((a, b) => a - b);
    return {
      model: kind,
      points: POINTS,
      stepSeconds: STEP,
      runs,
      medianMs: times[Math.floor(times.length / 2)] as number,
      minMs: times[0] as number,
      maxMs: times[times.length - 1] as number,
    };
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const augurs = await loadAugurs();
  const results = measureFitTime({
    augurs,
    clock: { now: () => performance.now() },
    models: ['mstl', 'prophet', 'ets'],
  });
  for (const r of results) {
    console.log(
      `${r.model}: ${r.medianMs.toFixed(1)} ms median fit+forecast (min ${r.minMs.toFixed(1)}, max ${r.maxMs.toFixed(1)}) over ${r.runs} runs, ${r.points} points at ${r.stepSeconds}s`
    );
  }
  console.log(
    JSON.stringify({
      forecaster_fit_time_ms: Object.fromEntries(results.map((r) => [r.model, Number(r.medianMs.toFixed(1))])),
    })
  );
}
