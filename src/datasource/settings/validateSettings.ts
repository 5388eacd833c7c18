import type { SeismoOptions, SeismoSecureOptions } from '../types';

export type SettingsProblems = Partial<Record<keyof SeismoOptions | keyof SeismoSecureOptions, string>>;

// The backend's bounds for timeoutSeconds (pkg/models/settings.go).
const MIN_TIMEOUT = 1;
const MAX_TIMEOUT = 300;

/**
 * Checks the settings as the backend will (pkg/models/settings.go), so that the editor shows a
 * problem next to its field before Save & test. The backend stays the authority: Save & test
 * reports whatever it finds.
 */
export function validateSettings(
  jsonData: SeismoOptions,
  secure: { configured: Partial<Record<keyof SeismoSecureOptions, boolean>>; values: SeismoSecureOptions }
): SettingsProblems {
  const problems: SettingsProblems = {};
  const promUrl = jsonData.prometheusUrl?.trim() ?? '';
  if (promUrl === '') {
    problems.prometheusUrl = 'required: the base URL of Prometheus (or Mimir/Thanos), e.g. http://prometheus:9090';
  } else {
    const problem = baseUrlProblem(promUrl, 'http://prometheus:9090');
    if (problem) {
      problems.prometheusUrl = problem;
    }
  }
  const sidecarUrl = jsonData.sidecarUrl?.trim() ?? '';
  if (sidecarUrl !== '') {
    const problem = baseUrlProblem(sidecarUrl, 'http://seismo-sidecar:8080');
    if (problem) {
      problems.sidecarUrl = problem;
    }
  }
  const has = (key: keyof SeismoSecureOptions) => Boolean(secure.configured[key]) || Boolean(secure.values[key]);
  if (jsonData.prometheusAuth === 'basic') {
    if (!jsonData.prometheusUser?.trim()) {
      problems.prometheusUser = 'required for basic authentication';
    }
    if (!has('prometheusPassword')) {
      problems.prometheusPassword = 'required for basic authentication';
    }
  }
  if (jsonData.prometheusAuth === 'bearer') {
    if (!has('prometheusBearerToken')) {
      problems.prometheusBearerToken = 'required for bearer authentication';
    } else if (/^bearer\s/i.test(secure.values.prometheusBearerToken ?? '')) {
      problems.prometheusBearerToken = 'enter only the token; the "Bearer " prefix is added for you';
    }
  }
  if (/^bearer\s/i.test(secure.values.sidecarToken ?? '')) {
    problems.sidecarToken = 'enter only the token; the "Bearer " prefix is added for you';
  }
  const timeout = jsonData.timeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < MIN_TIMEOUT || timeout > MAX_TIMEOUT)) {
    problems.timeoutSeconds = `a whole number of seconds from ${MIN_TIMEOUT} to ${MAX_TIMEOUT}; empty means 30`;
  }
  return problems;
}

function baseUrlProblem(raw: string, example: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `not an absolute http(s) URL; use e.g. ${example}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `not an absolute http(s) URL; use e.g. ${example}`;
  }
  if (url.username || url.password) {
    return 'must not contain credentials; use the authentication settings instead';
  }
  if (url.search || url.hash) {
    return `has a query or fragment; give only the base URL, e.g. ${example}`;
  }
  const path = url.pathname.replace(/\/+$/, '');
  for (const suffix of ['/api/v1', '/healthz', '/graph']) {
    if (path.endsWith(suffix)) {
      return `ends in ${suffix}; give only the base URL`;
    }
  }
  return undefined;
}
