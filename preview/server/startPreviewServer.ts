import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

export interface PreviewServerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** The built preview host (default preview/build). */
  hostDir?: string;
  /** The built plugin (default dist), served under /dist/. */
  distDir?: string;
}

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the preview host at / (with Grafana's /public assets) and the built plugin under /dist/ on 127.0.0.1, read-only, with
 * no directory listings and no path outside the two folders.
 */
export async function startPreviewServer(options: PreviewServerOptions = {}): Promise<PreviewServer> {
  const hostDir = resolve(options.hostDir ?? join(repoRoot, 'preview', 'build'));
  const distDir = resolve(options.distDir ?? join(repoRoot, 'dist'));
  await requireFile(join(hostDir, 'index.html'), 'npm run build:preview');
  await requireFile(join(distDir, 'plugin.json'), 'npm run build');

  const server: Server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const [base, relative] = pathname.startsWith('/dist/')
      ? [distDir, pathname.slice('/dist/'.length)]
      : [hostDir, pathname === '/' ? 'index.html' : pathname.slice(1)];
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
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${pathname}\n`);
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
