import { isIP } from 'node:net';

import type { ConfigReader } from './ConfigReader.js';
import { ENV } from './envNames.js';
import { isLoopbackHost } from './isLoopbackHost.js';
import { readSecret } from './readSecret.js';
import type { SectionContext } from './SectionContext.js';
import type { ApiConfig } from './types.js';

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;
/** Long enough that guessing is hopeless even without rate limiting. */
const MIN_TOKEN_LENGTH = 16;

function readPort(r: ConfigReader, ctx: SectionContext): number {
  const fromFile = r.int('port', 8080, { min: 0, max: 65_535 });
  const raw = ctx.env[ENV.apiPort];
  if (raw === undefined || raw === '') {
    return fromFile;
  }
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) {
    r.reportEnv(ENV.apiPort, 'port', `must be a whole number between 0 and 65535, got ${JSON.stringify(raw)}`);
    return fromFile;
  }
  return port;
}

export function readApi(r: ConfigReader, ctx: SectionContext): ApiConfig {
  const host = r.string('host', '127.0.0.1');
  if (isIP(host) === 0 && !HOSTNAME.test(host)) {
    r.report('host', `must be an IP address or a host name, got ${JSON.stringify(host)}`, r.nodeOf('host'));
  }
  const port = readPort(r, ctx);
  r.forbid('token', `secrets are not accepted in the config file; use tokenFile or ${ENV.apiToken}`);
  const { file: tokenFile, secret: token } = readSecret(r, ctx, 'tokenFile', ENV.apiToken);
  if (token !== null && token.reveal().length < MIN_TOKEN_LENGTH) {
    const where = ctx.env[ENV.apiToken] ? `env ${ENV.apiToken}` : null;
    const message = `the API token must be at least ${MIN_TOKEN_LENGTH} characters long`;
    if (where === null) {
      r.report('tokenFile', message, r.nodeOf('tokenFile'));
    } else {
      r.reportEnv(ENV.apiToken, 'token', message);
    }
  }
  const allowUnauthenticated = r.bool('allowUnauthenticated', false);
  if (token === null && tokenFile === null && !isLoopbackHost(host) && !allowUnauthenticated) {
    r.report(
      'host',
      `listening on ${host} without a token would open the API to the network: set api.tokenFile or ${ENV.apiToken}, ` +
        'listen on 127.0.0.1, or set api.allowUnauthenticated: true',
      r.nodeOf('host')
    );
  }
  const maxRangeSeconds = r.int('maxRangeSeconds', 7 * 86_400, { min: 60, unit: 'seconds' });
  const maxPoints = r.int('maxPoints', 11_000, { min: 10, max: 1_000_000 });
  const bodyLimitBytes = r.int('bodyLimitBytes', 1_048_576, { min: 1024, max: 104_857_600, unit: 'bytes' });
  r.finish();
  return { host, port, tokenFile, token, allowUnauthenticated, maxRangeSeconds, maxPoints, bodyLimitBytes };
}
