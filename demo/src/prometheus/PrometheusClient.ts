import { PrometheusApiError } from './PrometheusApiError.js';
import type {
  InstantQueryResult,
  MatrixSeries,
  PromTime,
  SamplePoint,
  ScrapeTargetStatus,
  TargetHealth,
  VectorSample,
} from './types.js';

/**
 * A small typed client for the parts of the Prometheus HTTP API the harness and its tests use.
 * It works against any Prometheus-compatible URL, not only one started by startPrometheus.
 * API errors become PrometheusApiError; connection failures are plain Errors naming the URL.
 */
export class PrometheusClient {
  readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly requestTimeoutMs = 10_000
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  async query(promql: string, time?: PromTime): Promise<InstantQueryResult> {
    const form: Record<string, string> = { query: promql };
    if (time !== undefined) {
      form['time'] = formatTime(time);
    }
    const { data, warnings } = await this.api('/api/v1/query', form);
    return parseInstantResult(data, warnings);
  }

  async queryVector(promql: string, time?: PromTime): Promise<VectorSample[]> {
    const result = await this.query(promql, time);
    switch (result.resultType) {
      case 'vector':
        return result.result;
      case 'scalar':
        return [{ metric: {}, time: result.result.time, value: result.result.value }];
      default:
        throw new Error(`query '${promql}' returned a ${result.resultType}, expected an instant vector`);
    }
  }

  async queryRange(promql: string, start: PromTime, end: PromTime, stepSeconds: number): Promise<MatrixSeries[]> {
    if (!(stepSeconds > 0)) {
      throw new Error(`queryRange: stepSeconds must be positive, got ${stepSeconds}`);
    }
    const { data, warnings } = await this.api('/api/v1/query_range', {
      query: promql,
      start: formatTime(start),
      end: formatTime(end),
      step: String(stepSeconds),
    });
    const parsed = parseInstantResult(data, warnings);
    if (parsed.resultType !== 'matrix') {
      throw new Error(`query_range returned a ${parsed.resultType}, expected a matrix`);
    }
    return parsed.result;
  }

  /** Active scrape targets (dropped targets are left out). */
  async targets(): Promise<ScrapeTargetStatus[]> {
    const data = (await this.api('/api/v1/targets?state=active')).data as { activeTargets?: RawTarget[] };
    return (data.activeTargets ?? []).map((raw) => ({
      job: raw.labels?.['job'] ?? raw.scrapePool ?? '',
      scrapePool: raw.scrapePool ?? '',
      scrapeUrl: raw.scrapeUrl ?? '',
      labels: raw.labels ?? {},
      health: raw.health ?? 'unknown',
      lastError: raw.lastError ?? '',
      // Go's zero time is what the API reports before the first scrape.
      lastScrape:
        raw.lastScrape === undefined || raw.lastScrape.startsWith('0001-') ? undefined : new Date(raw.lastScrape),
      lastScrapeDurationSeconds: raw.lastScrapeDuration ?? 0,
    }));
  }

  /** Prometheus's own metrics from /metrics, keyed by the series as written there
   * (e.g. 'prometheus_config_last_reload_successful' or 'up{job="x"}'). */
  async ownMetrics(): Promise<Map<string, number>> {
    const text = await this.request('/metrics');
    const series = new Map<string, number>();
    for (const line of text.body.split('\n')) {
      if (line === '' || line.startsWith('#')) {
        continue;
      }
      const split = line.lastIndexOf(' ');
      if (split > 0) {
        series.set(line.slice(0, split), parseSampleValue(line.slice(split + 1)));
      }
    }
    return series;
  }

  /** Calls an API endpoint (GET, or POST with a form when given); returns data and warnings. */
  private async api(path: string, form?: Record<string, string>): Promise<{ data: unknown; warnings: string[] }> {
    const response = await this.request(path, form);
    let body: RawResponse;
    try {
      body = JSON.parse(response.body) as RawResponse;
    } catch {
      throw new PrometheusApiError('http', response.body.trim() || `HTTP ${response.status}`, response.status, path);
    }
    if (body.status !== 'success') {
      throw new PrometheusApiError(
        body.errorType ?? 'unknown',
        body.error ?? `HTTP ${response.status}`,
        response.status,
        path
      );
    }
    return { data: body.data, warnings: body.warnings ?? [] };
  }

  private async request(path: string, form?: Record<string, string>): Promise<{ status: number; body: string }> {
    const url = this.baseUrl + path;
    let response: Response;
    try {
      // POST with a form body: no URL length limit for long generated PromQL.
      response = await fetch(url, {
        method: form === undefined ? 'GET' : 'POST',
        ...(form === undefined ? {} : { body: new URLSearchParams(form) }),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new Error(`Prometheus at ${this.baseUrl} unreachable (${path}): ${reason}`, { cause: error });
    }
    return { status: response.status, body: await response.text() };
  }
}

interface RawResponse {
  status?: string;
  data?: unknown;
  errorType?: string;
  error?: string;
  warnings?: string[];
}

interface RawTarget {
  labels?: Record<string, string>;
  scrapePool?: string;
  scrapeUrl?: string;
  health?: TargetHealth;
  lastError?: string;
  lastScrape?: string;
  lastScrapeDuration?: number;
}

type RawPoint = [number, string];

function parseInstantResult(data: unknown, warnings: string[]): InstantQueryResult {
  const { resultType, result } = data as { resultType: string; result: unknown };
  switch (resultType) {
    case 'vector':
      return {
        resultType,
        warnings,
        result: (result as Array<{ metric: Record<string, string>; value: RawPoint }>).map((sample) => ({
          metric: sample.metric,
          ...parsePoint(sample.value),
        })),
      };
    case 'matrix':
      return {
        resultType,
        warnings,
        result: (result as Array<{ metric: Record<string, string>; values?: RawPoint[] }>).map((series) => ({
          metric: series.metric,
          values: (series.values ?? []).map(parsePoint),
        })),
      };
    case 'scalar':
      return { resultType, warnings, result: parsePoint(result as RawPoint) };
    case 'string': {
      const [time, value] = result as RawPoint;
      return { resultType, warnings, result: { time, value } };
    }
    default:
      throw new Error(`unknown Prometheus resultType '${resultType}'`);
  }
}

function parsePoint([time, value]: RawPoint): SamplePoint {
  return { time, value: parseSampleValue(value) };
}

/** Prometheus writes special values as 'NaN', '+Inf' and '-Inf'; Number() misreads '+Inf'. */
function parseSampleValue(text: string): number {
  switch (text) {
    case '+Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    case 'NaN':
      return Number.NaN;
    default:
      return Number(text);
  }
}

function formatTime(time: PromTime): string {
  const seconds = time instanceof Date ? time.getTime() / 1000 : time;
  if (!Number.isFinite(seconds)) {
    throw new Error(`invalid query time ${String(time)}`);
  }
  return String(seconds);
}
