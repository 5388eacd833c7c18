import { Agent, request } from 'undici';

export interface ApiLoadOptions {
  /** e.g. http://127.0.0.1:8080 */
  readonly baseUrl: string;
  readonly token: string;
  readonly clients: number;
  /** A dashboard's panels: each refresh requests them one after another. */
  readonly paths: readonly string[];
  /** Wall time between the end of one refresh and the start of the next. */
  readonly refreshMs: number;
  /** Most requests per client. */
  readonly maxRequestsPerClient: number;
  /** Resolves when the load must stop (bounded in time by the caller). */
  readonly until: Promise<void>;
}

export interface RouteLatency {
  readonly requests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Answers by HTTP status; `error` for requests that got no answer. */
  readonly statuses: Readonly<Record<string, number>>;
}

export interface ApiLoadReport {
  readonly clients: number;
  readonly refreshMs: number;
  readonly requests: number;
  readonly seconds: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly byRoute: Readonly<Record<string, RouteLatency>>;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The route a path belongs to: its first two segments after /api/v1, parameters replaced. */
function routeOf(path: string): string {
  const bare = path.split('?')[0] as string;
  return bare.replace(/^\/api\/v1\/services\/[^/]+\/scores$/, '/api/v1/services/{service}/scores');
}

/**
 * Dashboard-style load on the sidecar's API: `clients` dashboards, each refreshing its panels
 * (the paths, one request after another) every `refreshMs`, the first refreshes spread over
 * one interval, until `until` resolves or it made its maximum number of requests. Latency is
 * measured per request from send to the last byte of the answer.
 */
export async function apiLoad(options: ApiLoadOptions): Promise<ApiLoadReport> {
  const agent = new Agent({ connections: options.clients, keepAliveTimeout: 10_000 });
  let stopped = false;
  void options.until.then(() => {
    stopped = true;
  });
  const samples = new Map<string, { latencies: number[]; statuses: Record<string, number> }>();
  const record = (path: string, ms: number, status: string): void => {
    const route = routeOf(path);
    let s = samples.get(route);
    if (s === undefined) {
      s = { latencies: [], statuses: {} };
      samples.set(route, s);
    }
    s.latencies.push(ms);
    s.statuses[status] = (s.statuses[status] ?? 0) + 1;
  };
  const started = performance.now();
  const pause = (ms: number): Promise<unknown> => Promise.race([options.until, new Promise((r) => setTimeout(r, ms))]);
  const client = async (index: number): Promise<void> => {
    await pause((index / options.clients) * options.refreshMs);
    for (let k = 0; k < options.maxRequestsPerClient && !stopped; k++) {
      if (k > 0 && k % options.paths.length === 0) {
        await pause(options.refreshMs);
        if (stopped) {
          break;
        }
      }
      const path = options.paths[k % options.paths.length] as string;
      const t0 = performance.now();
      try {
        const response = await request(`${options.baseUrl}${path}`, {
          dispatcher: agent,
          headers: { authorization: `Bearer ${options.token}` },
        });
        await response.body.arrayBuffer();
        record(path, performance.now() - t0, String(response.statusCode));
      } catch {
        record(path, performance.now() - t0, 'error');
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  } finally {
    await agent.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const all = [...samples.values()].flatMap((s) => s.latencies).sort((a, b) => a - b);
  const byRoute: Record<string, RouteLatency> = {};
  for (const [route, s] of [...samples].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sorted = [...s.latencies].sort((a, b) => a - b);
    byRoute[route] = {
      requests: sorted.length,
      p50Ms: round(quantile(sorted, 0.5)),
      p99Ms: round(quantile(sorted, 0.99)),
      maxMs: round(sorted[sorted.length - 1] ?? Number.NaN),
      statuses: s.statuses,
    };
  }
  return {
    clients: options.clients,
    refreshMs: options.refreshMs,
    requests: all.length,
    seconds: round(seconds),
    p50Ms: round(quantile(all, 0.5)),
    p99Ms: round(quantile(all, 0.99)),
    byRoute,
  };
}
