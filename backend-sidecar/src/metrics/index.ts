/** The sidecar's own health metrics. */
export { createSidecarMetrics, QUERY_ERROR_KINDS } from './createSidecarMetrics.js';
export type { BuildInfo, SidecarMetricsOptions } from './createSidecarMetrics.js';
export type { SidecarMetrics } from './SidecarMetrics.js';
export { readBuildInfo } from './readBuildInfo.js';
export { HealthReporter } from './HealthReporter.js';
export type { HealthReporterOptions } from './HealthReporter.js';
