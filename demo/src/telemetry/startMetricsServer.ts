import http from 'node:http';
import type { Registry } from 'prom-client';
import { closeServer, listenLocal, urlHost } from '../mesh/httpServers.js';

export interface MetricsServer {
  /** Full URL of the exposition, e.g. http://127.0.0.1:9464/metrics. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `registry` in the Prometheus text format at GET /metrics on `host` (127.0.0.1 unless exposed). */
export async function startMetricsServer(registry: Registry, port = 0, host = '127.0.0.1'): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('metrics are served at /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: Error) =>
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`collecting metrics failed: ${err.message}\n`)
    );
  });
  const bound = await listenLocal(server, port, host);
  return { url: `http://${urlHost(host)}:${bound}/metrics`, port: bound, close: () => closeServer(server) };
}
