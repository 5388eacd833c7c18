import { requestUpstream, UpstreamUnavailableError, type Upstream } from './requestUpstream.js';

/** One upstream's part of the health details, as the datasource backend reports it. */
export interface ComponentHealth {
  status: 'ok' | 'error' | 'not configured' | 'not checked';
  url?: string;
  version?: string;
  message: string;
}

/** What Grafana answers to `GET /api/datasources/uid/<uid>/health`. */
export interface HealthAnswer {
  status: 'OK' | 'ERROR';
  message: string;
  details: { prometheus: ComponentHealth; sidecar: ComponentHealth };
}

export interface HealthCheckTargets {
  sidecar?: Upstream & { token?: string };
  prometheus?: Upstream;
  /** Unix milliseconds. */
  now: () => number;
}

/** How far back the sidecar's own series must reach in Prometheus: a few scrape intervals. */
const SERIES_WINDOW_SECONDS = 15 * 60;

/** A duration the way Go prints a time.Duration rounded to seconds (`45s`, `1m5s`, `2h0m5s`). */
export function formatGoDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) {
    return `${h}h${m}m${s}s`;
  }
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

function errorMessage(body: unknown): string | undefined {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') {
    return error;
  }
  const nested = (error as { message?: unknown } | undefined)?.message;
  return typeof nested === 'string' ? nested : undefined;
}

interface SidecarStatus {
  version?: string;
  lastCycle?: { at: number; prometheusUp?: boolean; error?: string | null } | null;
  services?: Record<string, number>;
}

/** The detection loop in one phrase: how long ago the last cycle ran and the detector states. */
function describeCycle(status: SidecarStatus, nowMs: number): string {
  if (!status.lastCycle) {
    return 'no detection cycle has completed yet (the sidecar is starting)';
  }
  let text = `last detection cycle ${formatGoDuration(nowMs / 1000 - status.lastCycle.at)} ago`;
  const states = Object.keys(status.services ?? {}).sort();
  if (states.length > 0) {
    text += `, services: ${states.map((state) => `${status.services![state]} ${state}`).join(', ')}`;
  }
  return text;
}

/**
 * The sidecar's part: /healthz (public) proves it answers and names its version, /api/v1/status
 * (behind the token) proves the token and tells whether the last cycle could read Prometheus.
 */
async function checkSidecar(targets: HealthCheckTargets): Promise<ComponentHealth> {
  const sidecar = targets.sidecar;
  if (!sidecar) {
    return {
      status: 'not configured',
      message: 'not configured: the preview was started without --sidecar, so the app pages have no data',
    };
  }
  const health: ComponentHealth = { status: 'error', url: sidecar.url, message: '' };
  const headers: Record<string, string> = { accept: 'application/json' };
  if (sidecar.token) {
    headers.authorization = `Bearer ${sidecar.token}`;
  }
  try {
    const live = await requestUpstream(sidecar, '/healthz', { headers });
    const body = (await readJson(live)) as { status?: string; version?: string; message?: string } | undefined;
    if (body === undefined) {
      health.message = `${sidecar.name} at ${sidecar.url} answered HTTP ${live.status} without JSON; is this the sidecar's address?`;
      return health;
    }
    health.version = body.version;
    if (!live.ok) {
      health.message = `the sidecar at ${sidecar.url} reports it is unhealthy (HTTP ${live.status}): ${body.message ?? body.status ?? 'no reason given'}`;
      return health;
    }
    const at = body.version ? `version ${body.version} at ${sidecar.url}` : `at ${sidecar.url}`;
    const answer = await requestUpstream(sidecar, '/api/v1/status', { headers });
    const status = (await readJson(answer)) as SidecarStatus | undefined;
    if (answer.status === 401 || answer.status === 403) {
      health.message = `reachable (${at}), but its API refused the token (HTTP ${answer.status}): ${errorMessage(status) ?? 'no reason given'}; check the token the preview was started with (--token-file or SEISMO_SIDECAR_TOKEN)`;
      return health;
    }
    if (answer.status === 404) {
      health.message = `reachable (${at}), but it does not serve /api/v1/status (HTTP 404); the app needs the sidecar's API v1, so upgrade the sidecar`;
      return health;
    }
    if (!answer.ok || status === undefined) {
      health.message = `reachable (${at}), but its status could not be read (HTTP ${answer.status}): ${errorMessage(status) ?? 'not JSON'}`;
      return health;
    }
    if (status.lastCycle && status.lastCycle.prometheusUp === false) {
      health.message = `reachable (${at}) and the token is accepted, but its last detection cycle could not read Prometheus: ${status.lastCycle.error || 'no reason given'}; check the sidecar's Prometheus settings`;
      return health;
    }
    return { ...health, status: 'ok', message: `OK, ${at}, token accepted; ${describeCycle(status, targets.now())}` };
  } catch (error) {
    if (error instanceof UpstreamUnavailableError) {
      health.message = error.message;
      return health;
    }
    throw error;
  }
}

/** Prometheus's part: it answers, and it holds the sidecar's own series (else every history query is empty). */
async function checkPrometheus(targets: HealthCheckTargets): Promise<ComponentHealth> {
  const prometheus = targets.prometheus;
  if (!prometheus) {
    return {
      status: 'not checked',
      message: 'not checked: the preview was started without --prometheus (in Grafana the datasource checks it)',
    };
  }
  const health: ComponentHealth = { status: 'error', url: prometheus.url, message: '' };
  try {
    const info = await requestUpstream(prometheus, '/api/v1/status/buildinfo');
    const build = (await readJson(info)) as { data?: { version?: string } } | undefined;
    if (!info.ok || build === undefined) {
      health.message = `Prometheus at ${prometheus.url} answered HTTP ${info.status} to its build info; is this the Prometheus API's address?`;
      return health;
    }
    health.version = build.data?.version;
    const at = health.version ? `version ${health.version} at ${prometheus.url}` : `at ${prometheus.url}`;
    const end = Math.floor(targets.now() / 1000);
    const query = new URLSearchParams({
      'match[]': 'seismo_build_info',
      start: String(end - SERIES_WINDOW_SECONDS),
      end: String(end),
    });
    const series = await requestUpstream(prometheus, `/api/v1/series?${query}`);
    const found = (await readJson(series)) as { data?: Array<Record<string, string>> } | undefined;
    if (!series.ok || !found) {
      health.message = `reachable (${at}), but listing its series failed (HTTP ${series.status})`;
      return health;
    }
    const sets = found.data ?? [];
    if (sets.length === 0) {
      health.message = `reachable (${at}), but it holds no seismo_build_info series from the last 15m0s: check that this Prometheus scrapes the sidecar's /metrics`;
      return health;
    }
    const versions = [...new Set(sets.map((s) => s.version).filter(Boolean))].sort();
    const replicas = `${sets.length} sidecar replica(s)${versions.length > 0 ? `, version ${versions.join(', ')}` : ''}`;
    return { ...health, status: 'ok', message: `OK, ${at}; Seismo series present (${replicas})` };
  } catch (error) {
    if (error instanceof UpstreamUnavailableError) {
      health.message = error.message;
      return health;
    }
    throw error;
  }
}

/**
 * The Seismo datasource's health check (its "Save & test"), answered by the preview server
 * because no Go backend runs here: the same checks of the sidecar and of Prometheus, the same
 * messages, OK only when neither failed. Prometheus is checked only when the preview knows it.
 */
export async function checkDatasourceHealth(targets: HealthCheckTargets): Promise<HealthAnswer> {
  const [prometheus, sidecar] = await Promise.all([checkPrometheus(targets), checkSidecar(targets)]);
  const failed = prometheus.status === 'error' || sidecar.status === 'error';
  return {
    status: failed ? 'ERROR' : 'OK',
    message: `Prometheus: ${prometheus.message}. Sidecar: ${sidecar.message}`,
    details: { prometheus, sidecar },
  };
}
