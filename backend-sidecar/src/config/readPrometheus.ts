import type { ConfigReader } from './ConfigReader.js';
import { ENV } from './envNames.js';
import { readPath } from './readPath.js';
import { readSecret } from './readSecret.js';
import { Secret } from './Secret.js';
import type { SectionContext } from './SectionContext.js';
import type { PrometheusAuthMode, PrometheusConfig, PrometheusTlsConfig } from './types.js';

/** RFC 9110 token characters. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Checks a base URL; returns the problem, or null. Never quotes a URL that carries credentials. */
function urlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.includes('@')
      ? 'must be an absolute http:// or https:// URL'
      : `must be an absolute http:// or https:// URL such as http://prometheus:9090, got ${JSON.stringify(raw)}`;
  }
  if (url.username !== '' || url.password !== '') {
    return `must not contain credentials; use auth: basic with passwordFile or ${ENV.prometheusPassword}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must use http:// or https://, got ${JSON.stringify(url.protocol)}`;
  }
  if (url.search !== '' || url.hash !== '') {
    return 'must not have a query string or fragment; give the base URL (with a path prefix if Prometheus is served under one)';
  }
  return null;
}

function readTls(r: ConfigReader, ctx: SectionContext): PrometheusTlsConfig {
  const caFile = readPath(r, ctx, 'caFile', null, 'file');
  const certFile = readPath(r, ctx, 'certFile', null, 'file');
  const keyFile = readPath(r, ctx, 'keyFile', null, 'file');
  const insecureSkipVerify = r.bool('insecureSkipVerify', false);
  const serverName = r.optionalString('serverName');
  if ((certFile === null) !== (keyFile === null)) {
    const missing = certFile === null ? 'certFile' : 'keyFile';
    r.report(missing, 'required for client certificates: give certFile and keyFile together');
  }
  r.finish();
  return { caFile, certFile, keyFile, insecureSkipVerify, serverName };
}

export function readPrometheus(r: ConfigReader, ctx: SectionContext): PrometheusConfig {
  const fileUrl = r.field('url');
  const envUrl = ctx.env[ENV.prometheusUrl];
  let url = 'http://127.0.0.1:9090';
  if (envUrl !== undefined && envUrl !== '') {
    const problem = urlProblem(envUrl);
    if (problem === null) {
      url = envUrl.replace(/\/+$/, '');
    } else {
      r.reportEnv(ENV.prometheusUrl, 'url', problem);
    }
  } else if (!fileUrl.present) {
    r.report('url', `required: the base URL of Prometheus, e.g. http://prometheus:9090 (or set ${ENV.prometheusUrl})`);
  } else if (typeof fileUrl.value !== 'string') {
    r.report('url', 'must be a URL string', fileUrl.node);
  } else {
    const problem = urlProblem(fileUrl.value);
    if (problem === null) {
      url = fileUrl.value.replace(/\/+$/, '');
    } else {
      r.report('url', problem, fileUrl.node);
    }
  }

  const auth: PrometheusAuthMode = r.choice('auth', ['none', 'basic', 'bearer'] as const, 'none');
  const user = r.optionalString('user');
  r.forbid('password', `secrets are not accepted in the config file; use passwordFile or ${ENV.prometheusPassword}`);
  r.forbid(
    'bearerToken',
    `secrets are not accepted in the config file; use bearerTokenFile or ${ENV.prometheusBearerToken}`
  );

  let password: Secret | null = null;
  let passwordFile: string | null = null;
  let bearerToken: Secret | null = null;
  let bearerTokenFile: string | null = null;
  if (auth === 'basic') {
    ({ file: passwordFile, secret: password } = readSecret(r, ctx, 'passwordFile', ENV.prometheusPassword));
    if (user === null) {
      r.report('user', 'required when auth is basic');
    }
    if (password === null && passwordFile === null) {
      r.report('passwordFile', `required when auth is basic (or set ${ENV.prometheusPassword})`);
    }
  } else {
    if (user !== null) {
      r.report('user', 'only used when auth is basic', r.nodeOf('user'));
    }
    if (r.field('passwordFile').present) {
      r.report('passwordFile', 'only used when auth is basic', r.nodeOf('passwordFile'));
    }
  }
  if (auth === 'bearer') {
    ({ file: bearerTokenFile, secret: bearerToken } = readSecret(r, ctx, 'bearerTokenFile', ENV.prometheusBearerToken));
    if (bearerToken === null && bearerTokenFile === null) {
      r.report('bearerTokenFile', `required when auth is bearer (or set ${ENV.prometheusBearerToken})`);
    }
  } else if (r.field('bearerTokenFile').present) {
    r.report('bearerTokenFile', 'only used when auth is bearer', r.nodeOf('bearerTokenFile'));
  }

  const headers: Record<string, Secret> = {};
  for (const entry of r.entries('headers')) {
    const path = `${r.childPath('headers')}.${entry.key}`;
    if (!HEADER_NAME.test(entry.key)) {
      r.reportAt(path, 'is not a valid HTTP header name', entry.node);
    } else if (entry.key.toLowerCase() === 'authorization') {
      r.reportAt(path, 'set credentials with auth, passwordFile or bearerTokenFile instead', entry.node);
    } else if (typeof entry.value !== 'string' || entry.value === '') {
      // Header values may be credentials (tenant tokens), so the value is never quoted.
      r.reportAt(path, 'must be a non-empty string', entry.node);
    } else {
      headers[entry.key] = new Secret(entry.value);
    }
  }

  const tlsReader = r.section('tls');
  const tls = readTls(tlsReader, ctx);
  const tlsUsed = tls.caFile !== null || tls.certFile !== null || tls.insecureSkipVerify || tls.serverName !== null;
  if (tlsUsed && url.startsWith('http://')) {
    r.report('tls', 'only applies to https:// URLs, but prometheus.url is http://', r.nodeOf('tls'));
  }

  const timeoutSeconds = r.number('timeoutSeconds', 30, { above: 0, max: 600, unit: 'seconds' });
  const retries = r.int('retries', 3, { min: 0, max: 10 });
  // Prometheus refuses query_range requests of more than 11,000 points per series.
  const maxPointsPerQuery = r.int('maxPointsPerQuery', 11_000, { min: 2, max: 11_000 });
  r.finish();
  return {
    url,
    auth,
    user,
    passwordFile,
    password,
    bearerTokenFile,
    bearerToken,
    headers,
    tls,
    timeoutSeconds,
    retries,
    maxPointsPerQuery,
  };
}
