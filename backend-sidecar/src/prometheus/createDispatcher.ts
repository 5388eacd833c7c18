import { Agent } from 'undici';
import type { PrometheusTlsOptions } from './types.js';

/**
 * The undici agent of one client: TLS settings from the options, keep-alive connections reused
 * across queries. Request time limits are enforced per request by the client, not here.
 */
export function createDispatcher(tls: PrometheusTlsOptions | undefined): Agent {
  if ((tls?.cert === undefined) !== (tls?.key === undefined)) {
    throw new TypeError('tls: a client certificate needs its key and a key needs its certificate');
  }
  return new Agent({
    connect: {
      ...(tls?.ca !== undefined ? { ca: tls.ca } : {}),
      ...(tls?.cert !== undefined ? { cert: tls.cert } : {}),
      ...(tls?.key !== undefined ? { key: tls.key } : {}),
      ...(tls?.serverName !== undefined ? { servername: tls.serverName } : {}),
      rejectUnauthorized: tls?.insecureSkipVerify !== true,
    },
  });
}
