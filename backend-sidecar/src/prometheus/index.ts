/** Client of the Prometheus HTTP API: retries, deadlines, auth, TLS, chunked ranges, typed results. */
export { PrometheusClient } from './PrometheusClient.js';
export { PrometheusError } from './PrometheusError.js';
export type { PrometheusErrorDetails, PrometheusErrorKind } from './PrometheusError.js';
export { fullJitterDelay } from './fullJitterDelay.js';
export { planRangeChunks } from './planRangeChunks.js';
export type { RangeChunk } from './planRangeChunks.js';
export { mergeMatrixChunks } from './mergeMatrixChunks.js';
export { parseSampleValue } from './parseSampleValue.js';
export { seriesKey } from './seriesKey.js';
export type {
  InstantQueryApi,
  InstantResult,
  Labels,
  MatrixSeries,
  Point,
  PrometheusApi,
  PrometheusAuth,
  PrometheusClientEvent,
  PrometheusClientOptions,
  PrometheusClientStats,
  PrometheusTlsOptions,
  QueryOptions,
  RangeQueryApi,
  RangeResult,
  RetryOptions,
  VectorSample,
} from './types.js';
