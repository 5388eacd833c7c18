import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { findModelDir } from './findModelDir.js';
import { sidecarRoute } from './sidecarRoute.js';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

export interface SidecarTarget {
  /** Base URL of the sidecar, e.g. http://127.0.0.1:8080 */
  url: string;
  /** Bearer token of its API; never sent to the browser. */
  token?: string;
}

export interface PreviewServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** The built preview host (default preview/build). */
  hostDir?: string;
  /** The built plugin (default dist), served under /dist/. */
  distDir?: string;
  /** Recorded frame sets, served under /fixtures/ (default tests/browser/fixtures). */
  fixturesDir?: string;
  /** Model directories, served as /models/<model_id>/manifest|onnx (default backend-sidecar/models). */
  modelsDir?: string;
  /**
   * A running sidecar: the datasource's sidecar resource routes
   * (`/api/datasources/uid/<uid>/resources/sidecar/<path>`) are proxied to its `/api/v1/<path>`
   * with the token, as the datasource backend forwards them.
   */
  sidecar?: SidecarTarget;
  /** How long a proxied sidecar or Prometheus request may take (default 15 s). */
  sidecarTimeoutMs?: number;
  /**
   * Prometheus holding the sidecar's series: `/api/prometheus/api/v1/query_range` is proxied to
   * it, for the temperature history of the live preview.
   */
  prometheus?: { url: string };
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function sendFile(request: IncomingMessage, response: ServerResponse, base: string, relative: string) {
  const file = normalize(join(base, relative));
  if (!file.startsWith(base + sep)) {
    response.writeHead(403).end();
    return;
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) {
      throw new Error('not a file');
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
    });
    if (request.method === 'HEAD') {
      response.end();
    } else {
      createReadStream(file).pipe(response);
    }
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${relative}\n`);
  }
}

/**
 * Serves the preview host at / (with Grafana's /public assets), the built plugin under /dist/,
 * recorded frames under /fixtures/, model files under /models/ and, when a sidecar is given, the
 * datasource's sidecar resource routes through a proxy. Listens on 127.0.0.1 only; read-only
 * (GET and HEAD), no directory listings, no path outside its folders.
 */
export async function startPreviewServer(options: PreviewServerOptions = {}): Promise<PreviewServer> {
  const hostDir = resolve(options.hostDir ?? join(repoRoot, 'preview', 'build'));
  const distDir = resolve(options.distDir ?? join(repoRoot, 'dist'));
  const fixturesDir = resolve(options.fixturesDir ?? join(repoRoot, 'tests', 'browser', 'fixtures'));
  const modelsDir = resolve(options.modelsDir ?? join(repoRoot, 'backend-sidecar', 'models'));
  await requireFile(join(hostDir, 'index.html'), 'npm run build:preview');
  await requireFile(join(distDir, 'plugin.json'), 'npm run build');
  const sidecar = options.sidecar
    ? { ...options.sidecar, url: new URL(options.sidecar.url).href.replace(/\/$/, '') }
    : undefined;
  const timeoutMs = options.sidecarTimeoutMs ?? 15_000;

  const prometheus = options.prometheus ? new URL(options.prometheus.url).href.replace(/\/$/, '') : undefined;

  const forward = async (target: string, headers: Record<string, string>, what: string, response: ServerResponse) => {
    try {
      const upstream = await fetch(target, { headers, signal: AbortSignal.timeout(timeoutMs) });
      response.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      if (upstream.body) {
        Readable.fromWeb(upstream.body as never).pipe(response);
      } else {
        response.end();
      }
    } catch (error) {
      sendJson(response, 502, { error: `${what} did not answer: ${String(error)}` });
    }
  };

  const proxy = async (path: string, search: string, response: ServerResponse) => {
    if (!sidecar) {
      sendJson(response, 502, {
        error: 'the preview was started without a sidecar URL: start it with --sidecar <url> to use live data',
      });
      return;
    }
    const headers: Record<string, string> = sidecar.token ? { authorization: `Bearer ${sidecar.token}` } : {};
    await forward(
      `${sidecar.url}/api/v1/${path}${search}`,
      headers,
      `the sidecar at ${sidecar.url} (${path})`,
      response
    );
  };

  const serveModel = async (request: IncomingMessage, response: ServerResponse, modelId: string, file: string) => {
    const dir = await findModelDir(modelsDir, modelId);
    if (!dir) {
      sendJson(response, 404, { error: `no model "${modelId}" in the preview's model directory` });
      return;
    }
    if (file === 'manifest') {
      await sendFile(request, response, dir, 'manifest.json');
      return;
    }
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { onnx: { file: string } };
    await sendFile(request, response, dir, manifest.onnx.file);
  };

  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const pathname = decodeURIComponent(url.pathname);
    let route: string | undefined;
    try {
      route = sidecarRoute(pathname);
    } catch (error) {
      sendJson(response, 403, { error: (error as Error).message });
      return;
    }
    if (route !== undefined) {
      await proxy(route, url.search, response);
      return;
    }
    if (pathname === '/api/prometheus/api/v1/query_range') {
      if (!prometheus) {
        sendJson(response, 502, {
          error: 'the preview was started without a Prometheus URL: start it with --prometheus <url>',
        });
      } else {
        await forward(`${prometheus}/api/v1/query_range${url.search}`, {}, `Prometheus at ${prometheus}`, response);
      }
      return;
    }
    const model = /^\/models\/([^/]+)\/(manifest|onnx)$/.exec(pathname);
    if (model) {
      await serveModel(request, response, model[1]!, model[2]!);
      return;
    }
    if (pathname.startsWith('/dist/')) {
      await sendFile(request, response, distDir, pathname.slice('/dist/'.length));
    } else if (pathname.startsWith('/fixtures/')) {
      await sendFile(request, response, fixturesDir, pathname.slice('/fixtures/'.length));
    } else {
      await sendFile(request, response, hostDir, pathname === '/' ? 'index.html' : pathname.slice(1));
    }
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  if (!address || typeof address === 'string') {
    throw new Error('preview server has no TCP address');
  }
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}

async function requireFile(file: string, buildCommand: string): Promise<void> {
  try {
    await stat(file);
  } catch {
    throw new Error(`${file} is missing: run \`${buildCommand}\` first`);
  }
}
