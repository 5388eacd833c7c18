import { ForecastInputError } from '../forecast/ForecastInputError.js';
import { DEFAULT_FORECAST_SIGNALS } from '../forecast/defaultForecastTargets.js';
import { DEFAULT_FORECASTER_CONFIG, resolveForecasterConfig } from '../forecast/resolveForecasterConfig.js';
import { CANONICAL_SIGNALS } from '../signals/canonicalSignals.js';
import type { ConfigReader } from './ConfigReader.js';
import { keyTreeOf, readDelegated, stripPrefix } from './readDelegated.js';
import type { DetectionConfig, ForecastConfig, ForecastTargetsConfig } from './types.js';

const SCOPES = ['service', 'edge'] as const;

function readTargets(r: ConfigReader): ForecastTargetsConfig {
  const scopes = r.stringList('scopes', SCOPES, (scope, earlier) => {
    if (!(SCOPES as readonly string[]).includes(scope)) {
      return `must be service or edge, got ${JSON.stringify(scope)}`;
    }
    return earlier.includes(scope) ? `"${scope}" is listed twice` : null;
  }) as Array<'service' | 'edge'>;
  if (scopes.length === 0) {
    r.report('scopes', 'must list service, edge or both', r.nodeOf('scopes'));
  }
  // A target is a signal of every chosen scope, so the signal must exist in each of them.
  const signals = r.stringList('signals', DEFAULT_FORECAST_SIGNALS, (signal, earlier) => {
    if (earlier.includes(signal)) {
      return `"${signal}" is listed twice`;
    }
    for (const scope of scopes) {
      const table: Readonly<Record<string, unknown>> = CANONICAL_SIGNALS[scope];
      if (!Object.prototype.hasOwnProperty.call(table, signal)) {
        return `unknown ${scope} signal "${signal}" (known: ${Object.keys(table).join(', ')})`;
      }
    }
    return null;
  });
  r.finish();
  return { signals, scopes };
}

export function readForecast(r: ConfigReader, detection: DetectionConfig): ForecastConfig {
  const enabled = r.bool('enabled', true);
  const refitBudgetSecondsPerCycle = r.number('refitBudgetSecondsPerCycle', 2, { above: 0, unit: 'seconds' });
  if (refitBudgetSecondsPerCycle >= detection.intervalSeconds) {
    // Refits share the cycle with queries and inference; a budget of a whole cycle would overrun it.
    r.report(
      'refitBudgetSecondsPerCycle',
      `must be less than detection.intervalSeconds (${detection.intervalSeconds}), got ${refitBudgetSecondsPerCycle}`,
      r.nodeOf('refitBudgetSecondsPerCycle')
    );
  }
  // 200 targets with the default history cost about 50 MB; the busiest edges and services first.
  const maxTargets = r.int('maxTargets', 200, { min: 0, max: 100_000 });
  const targets = readTargets(r.section('targets'));
  const forecaster = readDelegated(
    r.section('forecaster'),
    keyTreeOf(DEFAULT_FORECASTER_CONFIG),
    (input) => resolveForecasterConfig(input),
    (error) =>
      error instanceof ForecastInputError
        ? { field: error.field, message: stripPrefix(error.message, `${error.field}: `) }
        : null,
    () => resolveForecasterConfig()
  );
  r.finish();
  return { enabled, refitBudgetSecondsPerCycle, maxTargets, targets, forecaster };
}
