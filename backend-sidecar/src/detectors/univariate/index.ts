/** Streaming univariate anomaly detection: robust seasonal bands, calibrated scores, one page per incident. */
export { UnivariateDetector } from './UnivariateDetector.js';
export { PreparedUnivariateConfig } from './PreparedUnivariateConfig.js';
export { resolveUnivariateConfig, DEFAULT_UNIVARIATE_CONFIG } from './resolveUnivariateConfig.js';
export type { UnivariateConfigInput } from './resolveUnivariateConfig.js';
export { seasonalPeriodsForStep } from './seasonalPeriodsForStep.js';
export { UnivariateConfigError } from './UnivariateConfigError.js';
export { TailCalibrator } from './TailCalibrator.js';
export { RollingWindow } from './RollingWindow.js';
export { normalTail } from './normalTail.js';
export { normalUpperQuantile } from './normalUpperQuantile.js';
export type * from './types.js';
