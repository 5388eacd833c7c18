import { ForecastInputError } from '../ForecastInputError.js';
import type { ModelKind } from '../types.js';
import type { FitContext, ForecastModel } from './ForecastModel.js';

/**
 * Common validation before a fit: augurs would otherwise fail deep inside WebAssembly with a
 * message that does not say which input was wrong (or, for NaN, produce NaN forecasts).
 */
export function checkFitInput(
  model: ForecastModel,
  values: readonly number[],
  context: FitContext,
  horizon: number
): void {
  const kind: ModelKind = model.kind;
  if (!Array.isArray(values) || values.length === 0) {
    throw new ForecastInputError('values', `${kind}: series is empty`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ForecastInputError(
        'values',
        `${kind}: values[${i}] is ${String(v)}; models need gap-free finite values (use prepareHistory to bridge or cut gaps)`
      );
    }
  }
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new ForecastInputError('horizon', `must be an integer >= 1 (got ${String(horizon)})`);
  }
  if (!(context.level > 0 && context.level < 1)) {
    throw new ForecastInputError('level', `must be strictly between 0 and 1 (got ${String(context.level)})`);
  }
  const reason = model.unsuitable(values.length, context);
  if (reason !== undefined) {
    throw new ForecastInputError('values', `${kind}: ${reason}`);
  }
}
