import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';

export interface FakeSidecar {
  url: string;
  /** Every request: method, path with query, and the Authorization header it carried. */
  requests: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

export interface FakeSidecarOptions {
  token: string;
  modelDir: string;
  /** The `/api/v1/window` answers, by service. */
  windows: Map<string, { at: number; body: unknown }>;
  /** Fixed JSON answers by path below /api/v1 (query string ignored), e.g. `topology`. */
  routes?: Map<string, unknown>;
}

/**
 * A stand-in for the sidecar's HTTP API with only the routes the window inspector uses, answering
 * from the shipped model directory and from windows the test scored with the sidecar's detector.
 * Like the sidecar, it refuses requests without its bearer token.
 */
export async function startFakeSidecar(options: FakeSidecarOptions): Promise<FakeSidecar> {
  const manifest = JSON.parse(await readFile(join(options.modelDir, 'manifest.json'), 'utf8'));
  const onnx = await readFile(join(options.modelDir, manifest.onnx.file));
  const requests: FakeSidecar['requests'] = [];
  const json = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push({ path: url.pathname + url.search, authorization: request.headers.authorization });
    if (request.headers.authorization !== `Bearer ${options.token}`) {
      json(response, 401, { error: { status: 401, code: 'unauthorized', message: 'missing or wrong bearer token' } });
      return;
    }
    if (url.pathname === '/api/v1/window') {
      const entry = options.windows.get(url.searchParams.get('service') ?? '');
      if (!entry) {
        json(response, 404, { error: { status: 404, code: 'not_found', message: 'unknown service' } });
      } else if (Number(url.searchParams.get('at')) !== entry.at) {
        json(response, 422, {
          error: { status: 422, code: 'unscorable', message: `no window recorded at ${url.searchParams.get('at')}` },
        });
      } else {
        json(response, 200, entry.body);
      }
      return;
    }
    if (url.pathname === `/api/v1/models/${manifest.model_id}/manifest`) {
      json(response, 200, manifest);
      return;
    }
    if (url.pathname === `/api/v1/models/${manifest.model_id}/onnx`) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(onnx);
      return;
    }
    const fixed = options.routes?.get(url.pathname.slice('/api/v1/'.length));
    if (fixed !== undefined) {
      json(response, 200, fixed);
      return;
    }
    if (url.pathname === '/api/v1/forecasts') {
      json(response, 200, { targets: [] });
      return;
    }
    json(response, 404, { error: { status: 404, code: 'not_found', message: `no route ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') {
    throw new Error('fake sidecar has no TCP address');
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
