import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PrometheusClient, PrometheusError } from '../src/prometheus/index.js';

/** Whether an openssl executable is available to mint certificates for this run. */
function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Pki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A throw-away CA with a server certificate for 127.0.0.1 and a client certificate. */
function mintPki(dir: string): Pki {
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=seismo-test-ca'
  );
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const name of ['server', 'client']) {
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=seismo-${name}`
    );
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`
    );
  }
  const read = (file: string): string => readFileSync(join(dir, file), 'utf8');
  return {
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
  };
}

const OK_BODY = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } });

async function startHttps(pki: Pki, requireClientCert: boolean): Promise<{ url: string; close: () => Promise<void> }> {
  const server = https.createServer(
    {
      cert: pki.serverCert,
      key: pki.serverKey,
      ...(requireClientCert ? { ca: pki.ca, requestCert: true, rejectUnauthorized: true } : {}),
    },
    (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(OK_BODY));
    }
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function queryWith(options: ConstructorParameters<typeof PrometheusClient>[0]): Promise<unknown> {
  const client = new PrometheusClient({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, ...options });
  try {
    return await client.query('up');
  } finally {
    await client.close();
  }
}

describe('PrometheusClient over TLS', { skip: hasOpenssl() ? false : 'openssl is not on PATH' }, () => {
  let dir = '';
  let pki: Pki;
  let plain: { url: string; close: () => Promise<void> };
  let mutual: { url: string; close: () => Promise<void> };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'seismo-tls-'));
    pki = mintPki(dir);
    plain = await startHttps(pki, false);
    mutual = await startHttps(pki, true);
  });
  after(async () => {
    await plain?.close();
    await mutual?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a server signed by the configured CA is accepted', async () => {
    const result = await queryWith({ url: plain.url, tls: { ca: pki.ca } });
    assert.deepEqual(result, { resultType: 'vector', result: [], warnings: [] });
  });

  test('an unknown CA is a tls error and is not retried', async () => {
    let requests = 0;
    const client = new PrometheusClient({
      url: plain.url,
      onEvent: (e) => {
        if (e.type === 'query') {
          requests = e.requests;
        }
      },
    });
    try {
      await assert.rejects(client.query('up'), (e: unknown) => e instanceof PrometheusError && e.kind === 'tls');
    } finally {
      await client.close();
    }
    assert.equal(requests, 1);
  });

  test('a certificate for another name is rejected', async () => {
    await assert.rejects(
      queryWith({ url: plain.url, tls: { ca: pki.ca, serverName: 'prometheus.example' } }),
      (e: unknown) =>
        e instanceof PrometheusError &&
        e.kind === 'tls' &&
        /ERR_TLS_CERT_ALTNAME_INVALID|altname|does not match/i.test(e.message)
    );
  });

  test('insecureSkipVerify accepts an unverifiable certificate', async () => {
    const result = await queryWith({ url: plain.url, tls: { insecureSkipVerify: true } });
    assert.deepEqual(result, { resultType: 'vector', result: [], warnings: [] });
  });

  test('mutual TLS: with the client certificate the query succeeds, without it it fails', async () => {
    const result = await queryWith({ url: mutual.url, tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } });
    assert.deepEqual(result, { resultType: 'vector', result: [], warnings: [] });
    await assert.rejects(queryWith({ url: mutual.url, tls: { ca: pki.ca } }), PrometheusError);
  });

  test('a client certificate without its key is refused up front', () => {
    assert.throws(() => new PrometheusClient({ url: mutual.url, tls: { cert: pki.clientCert } }), /needs its key/);
  });
});
