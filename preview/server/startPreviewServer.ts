import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createDatasourceHandler } from './createDatasourceHandler.js';
import { findModelDir } from './findModelDir.js';
import { forwardToUpstream } from './forwardToUpstream.js';
import type { Upstream } from './requestUpstream.js';
import { sendJson } from './sendJson.js';

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
   * it, for the temperature history of the live preview, and the health check covers it.
   */
  prometheus?: { url: string };
  /** Unix milliseconds, for the health check's "last cycle ... ago" (default Date.now). */
  now?: () => number;
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
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

/** `/api/datasources/uid/<uid>/<rest>`: what Grafana routes to a datasource. */
const DATASOURCE_PATH = /^\/api\/datasources\/uid\/([^/]+)\/(.+)$/;

/**
 * Serves the preview host at / (with Grafana's /public assets, and the app's pages under their
 * Grafana paths), the built plugin under /dist/, recorded frames under /fixtures/, model files
 * under /models/ and the Seismo datasource's routes (`/api/datasources/uid/<uid>/...`): its
 * sidecar resources through the allow-list the datasource backend forwards, its feedback and
 * selection writes, and its health check. Listens on 127.0.0.1 only; no directory listings, no
 * path outside its folders; the only writes are the two the datasource forwards.
 */
export async function startPreviewServer(options: PreviewServerOptions = {}): Promise<PreviewServer> {
  const hostDir = resolve(options.hostDir ?? join(repoRoot, 'preview', 'build'));
  const distDir = resolve(options.distDir ?? join(repoRoot, 'dist'));
  const fixturesDir = resolve(options.fixturesDir ?? join(repoRoot, 'tests', 'browser', 'fixtures'));
  const modelsDir = resolve(options.modelsDir ?? join(repoRoot, 'backend-sidecar', 'models'));
  await requireFile(join(hostDir, 'index.html'), 'npm run build:preview');
  await requireFile(join(distDir, 'plugin.json'), 'npm run build');
  const timeoutMs = options.sidecarTimeoutMs ?? 15_000;
  const base = (url: string) => new URL(url).href.replace(/\/$/, '');
  const sidecar: (Upstream & { token?: string }) | undefined = options.sidecar
    ? { name: 'the sidecar', url: base(options.sidecar.url), timeoutMs, token: options.sidecar.token }
    : undefined;
  const prometheus: Upstream | undefined = options.prometheus
    ? { name: 'Prometheus', url: base(options.prometheus.url), timeoutMs }
    : undefined;
  const serveDatasource = createDatasourceHandler({
    ...(sidecar ? { sidecar } : {}),
    ...(prometheus ? { prometheus } : {}),
    now: options.now ?? Date.now,
  });

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

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const pathname = decodeURIComponent(url.pathname);
    const datasource = DATASOURCE_PATH.exec(pathname);
    if (datasource) {
      await serveDatasource(request, response, datasource[1]!, datasource[2]!);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (pathname === '/api/prometheus/api/v1/query_range') {
      if (!prometheus) {
        sendJson(response, 502, {
          error: 'the preview was started without a Prometheus URL: start it with --prometheus <url>',
        });
      } else {
        await forwardToUpstream(response, prometheus, `/api/v1/query_range${url.search}`);
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
    } else if (pathname === '/' || (extname(pathname) === '' && !(await isFile(join(hostDir, pathname))))) {
      // Grafana's page paths (/a/<app>/..., /plugins/<id>) are the host page, which routes them.
      await sendFile(request, response, hostDir, 'index.html');
    } else {
      await sendFile(request, response, hostDir, pathname.slice(1));
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, { error: `the preview server failed: ${String(error)}` });
      } else {
        response.destroy(error as Error);
      }
    });
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

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function requireFile(file: string, buildCommand: string): Promise<void> {
  try {
    await stat(file);
  } catch {
    throw new Error(`${file} is missing: run \`${buildCommand}\` first`);
  }
}
