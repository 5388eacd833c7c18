import { DEFAULT_UNIVARIATE_CONFIG, resolveUnivariateConfig } from '../detectors/univariate/resolveUnivariateConfig.js';
import { UnivariateConfigError } from '../detectors/univariate/UnivariateConfigError.js';
import type { ConfigReader } from './ConfigReader.js';
import { keyTreeOf, readDelegated, stripPrefix } from './readDelegated.js';
import type { UnivariateSettings } from './types.js';

const { seasonalPeriods: _periods, ...WITHOUT_PERIODS } = DEFAULT_UNIVARIATE_CONFIG;

/**
 * detection.univariate: the univariate detector's settings, validated by its own resolver. The
 * seasonal periods are not written in points here (they depend on the step); `seasonal` turns
 * the daily and weekly references on or off.
 */
export function readUnivariate(r: ConfigReader): Readonly<UnivariateSettings> {
  const seasonal = r.bool('seasonal', true);
  const config = readDelegated(
    r,
    keyTreeOf(WITHOUT_PERIODS),
    (input) => resolveUnivariateConfig(input),
    (error) =>
      error instanceof UnivariateConfigError
        ? { field: error.field, message: stripPrefix(error.message, `${error.field}: `) }
        : null,
    () => resolveUnivariateConfig()
  );
  const { seasonalPeriods: _unused, ...rest } = config;
  return { ...rest, seasonal };
}
