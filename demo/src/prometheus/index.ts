/**
 * Prometheus process harness: runs the real `prometheus` binary for integration tests,
 * scenario tests and the embedded demo.
 *
 *   const prom = await startPrometheus({
 *     scrapeTargets: [{ job: 'mesh', targets: ['127.0.0.1:9464'] }],
 *     scrapeIntervalSeconds: 1,
 *   });
 *   try {
 *     await prom.waitForTargetsUp();
 *     const samples = await prom.waitFor('up{job="mesh"}', (v) => v[0]?.value === 1);
 *     const series = await prom.queryRange('rate(x_total[10s])', start, end, 1);
 *   } finally {
 *     await prom.stop();
 *   }
 *
 * - Prometheus listens on 127.0.0.1 only, on `port` or a free port; `url` is its base URL.
 * - The binary is `binary`, else $PROMETHEUS_BIN, else /usr/bin/prometheus; a missing one
 *   fails with installation advice.
 * - Without `dataDir` the TSDB lives in a temporary directory that stop() removes; a given
 *   `dataDir` is kept. restart() reuses port and data directory, so kill('SIGKILL') followed
 *   by restart() simulates a crash and recovery from the write-ahead log.
 * - stop() is idempotent and must always be called (try/finally, t.after). If the Node
 *   process exits without it, the child is still SIGKILLed by PID.
 * - Query errors answered by Prometheus are PrometheusApiError (errorType, message, status).
 * - Times are Unix seconds or Dates, as in the HTTP API.
 * - Prometheus is ready within a fraction of a second, but its target discovery batches
 *   updates, so new targets are first scraped about 5 s after start, restart() or
 *   updateTargets(); wait with waitForTargetsUp() / waitFor(), not with fixed sleeps.
 */
export { startPrometheus } from './startPrometheus.js';
export { PrometheusClient } from './PrometheusClient.js';
export { PrometheusApiError } from './PrometheusApiError.js';
export { freePort } from './freePort.js';
export { renderPrometheusConfig, type PrometheusConfigInput } from './renderPrometheusConfig.js';
export { resolvePrometheusBinary } from './resolvePrometheusBinary.js';
export { pollUntil, type PollOptions, type PollOutcome } from './pollUntil.js';
export type * from './types.js';
