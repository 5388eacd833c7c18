import type { PrometheusAuth } from './types.js';

export interface BaseUrl {
  /** Origin and path prefix, without user info or a trailing slash. */
  readonly base: string;
  /** Basic auth taken from user info in the URL, if any. */
  readonly auth: PrometheusAuth | undefined;
}

/**
 * Validates the configured URL and moves any user info (https://user:pass@host) out of it, so
 * the URL that is kept, and may end up in logs, carries no secret. Errors never repeat the URL:
 * it may contain exactly the password that must not be printed.
 */
export function parseBaseUrl(url: string): BaseUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('url: not a valid absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`url: scheme must be http or https (got ${parsed.protocol.replace(/:$/, '')})`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new TypeError('url: must not have a query string or fragment');
  }
  const auth: PrometheusAuth | undefined =
    parsed.username !== '' || parsed.password !== ''
      ? {
          type: 'basic',
          username: decodeURIComponent(parsed.username),
          password: decodeURIComponent(parsed.password),
        }
      : undefined;
  parsed.username = '';
  parsed.password = '';
  const base = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  return { base, auth };
}
