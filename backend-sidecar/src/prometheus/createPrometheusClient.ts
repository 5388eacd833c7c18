import { readFileSync } from 'node:fs';

import type { PrometheusConfig } from '../config/types.js';
import { PrometheusClient } from './PrometheusClient.js';
import type { PrometheusAuth, PrometheusTlsOptions } from './types.js';

/**
 * The Prometheus client the config describes: auth from the secrets, TLS files read now, the
 * request timeout, retries and point limit. Each call's overall deadline is a few request
 * timeouts, so a Prometheus that hangs cannot hold a detection cycle for ever.
 */
export function createPrometheusClient(config: PrometheusConfig): PrometheusClient {
  let auth: PrometheusAuth | undefined;
  if (config.auth === 'basic' && config.user !== null && config.password !== null) {
    auth = { type: 'basic', username: config.user, password: config.password.reveal() };
  } else if (config.auth === 'bearer' && config.bearerToken !== null) {
    auth = { type: 'bearer', token: config.bearerToken.reveal() };
  }
  const tls: PrometheusTlsOptions | undefined = config.url.startsWith('https:')
    ? {
        ...(config.tls.caFile !== null ? { ca: readFileSync(config.tls.caFile, 'utf8') } : {}),
        ...(config.tls.certFile !== null ? { cert: readFileSync(config.tls.certFile, 'utf8') } : {}),
        ...(config.tls.keyFile !== null ? { key: readFileSync(config.tls.keyFile, 'utf8') } : {}),
        ...(config.tls.serverName !== null ? { serverName: config.tls.serverName } : {}),
        insecureSkipVerify: config.tls.insecureSkipVerify,
      }
    : undefined;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) {
    headers[name] = value.reveal();
  }
  const requestTimeoutMs = config.timeoutSeconds * 1000;
  return new PrometheusClient({
    url: config.url,
    ...(auth !== undefined ? { auth } : {}),
    ...(tls !== undefined ? { tls } : {}),
    headers,
    requestTimeoutMs,
    deadlineMs: requestTimeoutMs * (config.retries + 1) + 5_000,
    retry: { maxAttempts: config.retries + 1 },
    maxPointsPerSeries: config.maxPointsPerQuery,
  });
}
