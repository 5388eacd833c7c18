import { setTimeout as delay } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { createDispatcher } from './createDispatcher.js';
import { decodeApiResponse, type ApiPayload } from './decodeApiResponse.js';
import { decodeResult } from './decodeResult.js';
import { fullJitterDelay } from './fullJitterDelay.js';
import { mergeMatrixChunks } from './mergeMatrixChunks.js';
import { parseBaseUrl } from './parseBaseUrl.js';
import { parseMatrixResponse } from './parseMatrixResponse.js';
import { planRangeChunks } from './planRangeChunks.js';
import { PrometheusError, type PrometheusErrorKind } from './PrometheusError.js';
import { seriesKey } from './seriesKey.js';
import { shortenQuery } from './shortenQuery.js';
import type {
  InstantResult,
  MatrixSeries,
  PrometheusApi,
  PrometheusAuth,
  PrometheusClientEvent,
  PrometheusClientOptions,
  PrometheusClientStats,
  QueryOptions,
  RangeResult,
} from './types.js';

const DEFAULTS = {
  requestTimeoutMs: 10_000,
  deadlineMs: 60_000,
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxPointsPerSeries: 11_000,
  maxSamplesPerQuery: 5_000_000,
} as const;

const RANGE_PATH = '/api/v1/query_range';

/** An answer's payload; range answers in Prometheus' own layout come already decoded (`matrix`). */
type DecodedPayload = ApiPayload & { readonly matrix?: MatrixSeries[] };

/** Why the per-request controller aborted: our timer, or the caller's signal. */
const TIMED_OUT = Symbol('timed out');

/** State of one query() / queryRange() call across its requests. */
interface CallContext {
  readonly deadlineAt: number;
  readonly deadlineMs: number;
  readonly signal: AbortSignal | undefined;
  readonly query: string;
  requests: number;
}

interface MutableStats {
  queries: { instant: number; range: number };
  requests: number;
  retries: number;
  chunks: number;
  errors: Partial<Record<PrometheusErrorKind, number>>;
  samples: number;
  durationSecondsTotal: number;
}

/**
 * Client of the Prometheus HTTP API (also Mimir, Thanos, VictoriaMetrics) for the sidecar's
 * batched reads:
 *
 *   const prom = new PrometheusClient({ url: 'https://prometheus:9090', auth: { type: 'bearer', token } });
 *   const { result } = await prom.queryRange('sum by (service) (rate(x_total[1m]))', start, end, 15);
 *
 * - Each request has its own timeout; each call has an overall deadline covering its retries.
 * - Network errors, timeouts, 5xx and 429 are retried with capped exponential backoff and full
 *   jitter (Retry-After honoured up to the cap); query errors (400, 422), 401/403 and other 4xx
 *   are not.
 * - Ranges with more points per series than Prometheus allows are split into chunks and merged;
 *   a result over the series × points budget is refused with a 'budget' error.
 * - Failures are PrometheusError with a kind; messages never contain credentials.
 * - stats() and onEvent report queries, requests, retries, errors by kind and durations.
 */
export class PrometheusClient implements PrometheusApi {
  /** Origin and path prefix, without credentials. */
  readonly baseUrl: string;
  private readonly headers: Record<string, string>;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly method: 'GET' | 'POST';
  private readonly requestTimeoutMs: number;
  private readonly deadlineMs: number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxPointsPerSeries: number;
  private readonly maxSamplesPerQuery: number;
  private readonly clock: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly onEvent: ((event: PrometheusClientEvent) => void) | undefined;
  private readonly counters: MutableStats = {
    queries: { instant: 0, range: 0 },
    requests: 0,
    retries: 0,
    chunks: 0,
    errors: {},
    samples: 0,
    durationSecondsTotal: 0,
  };

  constructor(options: PrometheusClientOptions) {
    const { base, auth: urlAuth } = parseBaseUrl(options.url);
    if (urlAuth !== undefined && options.auth !== undefined) {
      throw new TypeError('url: has user info and auth is also set; configure credentials in one place');
    }
    this.baseUrl = base;
    this.headers = buildHeaders(options.auth ?? urlAuth, options.headers);
    this.method = options.method ?? 'POST';
    this.requestTimeoutMs = positive(options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs, 'requestTimeoutMs');
    this.deadlineMs = positive(options.deadlineMs ?? DEFAULTS.deadlineMs, 'deadlineMs');
    this.maxAttempts = integerAtLeast(options.retry?.maxAttempts ?? DEFAULTS.maxAttempts, 1, 'retry.maxAttempts');
    this.baseDelayMs = nonNegative(options.retry?.baseDelayMs ?? DEFAULTS.baseDelayMs, 'retry.baseDelayMs');
    this.maxDelayMs = nonNegative(options.retry?.maxDelayMs ?? DEFAULTS.maxDelayMs, 'retry.maxDelayMs');
    this.maxPointsPerSeries = integerAtLeast(
      options.maxPointsPerSeries ?? DEFAULTS.maxPointsPerSeries,
      1,
      'maxPointsPerSeries'
    );
    this.maxSamplesPerQuery = integerAtLeast(
      options.maxSamplesPerQuery ?? DEFAULTS.maxSamplesPerQuery,
      1,
      'maxSamplesPerQuery'
    );
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal }));
    this.random = options.random ?? Math.random;
    this.onEvent = options.onEvent;
    if (options.dispatcher !== undefined) {
      this.dispatcher = options.dispatcher;
      this.ownsDispatcher = false;
    } else {
      this.dispatcher = createDispatcher(options.tls);
      this.ownsDispatcher = true;
    }
  }

  /** Instant query at `time` (Unix seconds; default: the server's now). */
  async query(promql: string, time?: number, options: QueryOptions = {}): Promise<InstantResult> {
    return this.call('instant', promql, options, async (ctx) => {
      const form: Record<string, string> = { query: promql };
      if (time !== undefined) {
        form['time'] = formatTime(time, 'time');
      }
      const payload = await this.send('/api/v1/query', form, ctx);
      const result = decodeResult(payload.data, payload.warnings, '/api/v1/query');
      const series = result.resultType === 'vector' || result.resultType === 'matrix' ? result.result.length : 1;
      const samples = result.resultType === 'matrix' ? result.result.reduce((n, s) => n + s.points.length, 0) : series;
      if (samples > this.maxSamplesPerQuery) {
        throw this.budgetError(ctx, `returned ${samples} samples, over the budget of ${this.maxSamplesPerQuery}`);
      }
      return { value: result, chunks: 1, series, samples };
    });
  }

  /**
   * Range query over [start, end] (Unix seconds) at `stepSeconds`. Split into chunks of at most
   * maxPointsPerSeries points when longer; chunks run one after another to bound memory and load.
   */
  async queryRange(
    promql: string,
    start: number,
    end: number,
    stepSeconds: number,
    options: QueryOptions = {}
  ): Promise<RangeResult> {
    return this.call('range', promql, options, async (ctx) => {
      formatTime(start, 'start');
      formatTime(end, 'end');
      let chunks;
      try {
        chunks = planRangeChunks(start, end, stepSeconds, this.maxPointsPerSeries);
      } catch (error) {
        throw new PrometheusError('query', (error as Error).message, { query: ctx.query });
      }
      const totalPoints = chunks.reduce((n, c) => n + c.points, 0);
      if (totalPoints > this.maxSamplesPerQuery) {
        throw this.budgetError(
          ctx,
          `${totalPoints} points per series exceed the budget of ${this.maxSamplesPerQuery} samples even for one series`
        );
      }
      const parts: MatrixSeries[][] = [];
      const warnings = new Set<string>();
      const seen = new Set<string>();
      for (const chunk of chunks) {
        const payload = await this.send(
          RANGE_PATH,
          {
            query: promql,
            start: String(chunk.start),
            end: String(chunk.end),
            step: String(stepSeconds),
          },
          ctx
        );
        this.counters.chunks++;
        const decoded =
          payload.matrix !== undefined
            ? { resultType: 'matrix' as const, result: payload.matrix, warnings: payload.warnings }
            : decodeResult(payload.data, payload.warnings, RANGE_PATH);
        if (decoded.resultType !== 'matrix') {
          throw new PrometheusError('decode', `query_range returned a ${decoded.resultType}, expected a matrix`, {
            path: '/api/v1/query_range',
            query: ctx.query,
          });
        }
        decoded.warnings.forEach((w) => warnings.add(w));
        for (const series of decoded.result) {
          seen.add(seriesKey(series.metric));
        }
        // Projected from the series seen so far: refuse before fetching the remaining chunks.
        if (seen.size * totalPoints > this.maxSamplesPerQuery) {
          throw this.budgetError(
            ctx,
            `would return ${seen.size} series × ${totalPoints} points = ${seen.size * totalPoints} samples, ` +
              `over the budget of ${this.maxSamplesPerQuery}; use a larger step, a shorter range or a narrower selector`
          );
        }
        parts.push([...decoded.result]);
      }
      const result = parts.length === 1 ? (parts[0] as MatrixSeries[]) : mergeMatrixChunks(parts);
      const samples = result.reduce((n, s) => n + s.points.length, 0);
      const value: RangeResult = { resultType: 'matrix', result, warnings: [...warnings], chunks: chunks.length };
      return { value, chunks: chunks.length, series: result.length, samples };
    });
  }

  /** Cumulative counters since creation (a copy). */
  stats(): PrometheusClientStats {
    const c = this.counters;
    return {
      queries: { ...c.queries },
      requests: c.requests,
      retries: c.retries,
      chunks: c.chunks,
      errors: { ...c.errors },
      samples: c.samples,
      durationSecondsTotal: c.durationSecondsTotal,
    };
  }

  /** Closes pooled connections (only those of an agent the client created itself). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) {
      await this.dispatcher.close();
    }
  }

  private async call<T>(
    kind: 'instant' | 'range',
    promql: string,
    options: QueryOptions,
    work: (ctx: CallContext) => Promise<{ value: T; chunks: number; series: number; samples: number }>
  ): Promise<T> {
    const started = this.clock();
    const deadlineMs = options.deadlineMs ?? this.deadlineMs;
    const ctx: CallContext = {
      deadlineAt: started + deadlineMs,
      deadlineMs,
      signal: options.signal,
      query: shortenQuery(promql),
      requests: 0,
    };
    this.counters.queries[kind]++;
    const finish = (
      outcome: 'ok' | PrometheusErrorKind,
      done?: { chunks: number; series: number; samples: number }
    ): void => {
      const durationSeconds = Math.max(0, (this.clock() - started) / 1000);
      this.counters.durationSecondsTotal += durationSeconds;
      if (outcome !== 'ok') {
        this.counters.errors[outcome] = (this.counters.errors[outcome] ?? 0) + 1;
      } else {
        this.counters.samples += done?.samples ?? 0;
      }
      this.emit({
        type: 'query',
        kind,
        outcome,
        durationSeconds,
        requests: ctx.requests,
        chunks: done?.chunks ?? 0,
        series: done?.series ?? 0,
        samples: done?.samples ?? 0,
      });
    };
    try {
      if (typeof promql !== 'string' || promql.trim() === '') {
        throw new PrometheusError('query', 'query is empty');
      }
      const done = await work(ctx);
      finish('ok', done);
      return done.value;
    } catch (error) {
      const failure =
        error instanceof PrometheusError
          ? error.withDetails({ query: ctx.query, attempts: ctx.requests })
          : new PrometheusError('decode', (error as Error).message ?? String(error), {
              query: ctx.query,
              attempts: ctx.requests,
              cause: error,
            });
      finish(failure.kind);
      throw failure;
    }
  }

  /** One API request with retries, inside the call's deadline. */
  private async send(path: string, form: Record<string, string>, ctx: CallContext): Promise<DecodedPayload> {
    let last: PrometheusError | undefined;
    for (let attempt = 1; ; attempt++) {
      const remaining = ctx.deadlineAt - this.clock();
      if (remaining <= 0) {
        throw this.deadlineError(ctx, path, last);
      }
      const timeoutMs = Math.min(this.requestTimeoutMs, remaining);
      let error: PrometheusError;
      try {
        ctx.requests++;
        this.counters.requests++;
        return await this.once(path, form, timeoutMs, ctx.signal);
      } catch (caught) {
        error = caught as PrometheusError;
      }
      // A request cut short by the deadline rather than by the request timeout is a deadline.
      if (error.kind === 'timeout' && timeoutMs < this.requestTimeoutMs) {
        throw this.deadlineError(ctx, path, error);
      }
      if (!error.retryable || attempt >= this.maxAttempts) {
        throw error;
      }
      last = error;
      let wait = fullJitterDelay(attempt, this.baseDelayMs, this.maxDelayMs, this.random);
      if (error.retryAfterSeconds !== undefined) {
        wait = Math.max(wait, Math.min(error.retryAfterSeconds * 1000, this.maxDelayMs));
      }
      if (this.clock() + wait >= ctx.deadlineAt) {
        throw this.deadlineError(ctx, path, error);
      }
      this.counters.retries++;
      this.emit({ type: 'retry', attempt, delayMs: wait, reason: error.kind });
      try {
        await this.sleep(wait, ctx.signal);
      } catch (sleepError) {
        throw new PrometheusError('aborted', 'aborted by the caller while waiting to retry', {
          path,
          cause: sleepError,
        });
      }
    }
  }

  /** Exactly one HTTP request; every failure becomes a PrometheusError. */
  private async once(
    path: string,
    form: Record<string, string>,
    timeoutMs: number,
    signal: AbortSignal | undefined
  ): Promise<DecodedPayload> {
    if (signal?.aborted === true) {
      throw new PrometheusError('aborted', 'aborted by the caller', { path });
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const body = new URLSearchParams(form).toString();
    const url = this.method === 'GET' ? `${this.baseUrl}${path}?${body}` : `${this.baseUrl}${path}`;
    try {
      const response = await request(url, {
        method: this.method,
        headers:
          this.method === 'POST'
            ? { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' }
            : this.headers,
        ...(this.method === 'POST' ? { body } : {}),
        dispatcher: this.dispatcher,
        signal: controller.signal,
      });
      const text = await response.body.text();
      if (path === RANGE_PATH && response.statusCode >= 200 && response.statusCode < 300) {
        const matrix = parseMatrixResponse(text);
        if (matrix !== null) {
          return { data: null, warnings: matrix.warnings, matrix: matrix.result };
        }
      }
      return decodeApiResponse(response.statusCode, text, path, response.headers['retry-after']);
    } catch (error) {
      if (error instanceof PrometheusError) {
        throw error;
      }
      if (controller.signal.aborted) {
        if (controller.signal.reason === TIMED_OUT) {
          throw new PrometheusError('timeout', `no complete answer within ${timeoutMs} ms`, { path, cause: error });
        }
        throw new PrometheusError('aborted', 'aborted by the caller', { path, cause: error });
      }
      const kind = isCertificateError(error) ? 'tls' : 'network';
      throw new PrometheusError(kind, describeNetworkError(error), { path, cause: error });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private deadlineError(ctx: CallContext, path: string, last: PrometheusError | undefined): PrometheusError {
    const reason = last !== undefined ? `; last error: ${last.kind}: ${last.description}` : '';
    return new PrometheusError(
      'deadline',
      `deadline of ${ctx.deadlineMs} ms exceeded after ${ctx.requests} request(s)${reason}`,
      { path, cause: last, ...(last?.status !== undefined ? { status: last.status } : {}) }
    );
  }

  private budgetError(ctx: CallContext, message: string): PrometheusError {
    return new PrometheusError('budget', `query refused: ${message}`, { query: ctx.query });
  }

  private emit(event: PrometheusClientEvent): void {
    if (this.onEvent === undefined) {
      return;
    }
    try {
      this.onEvent(event);
    } catch {
      // A failing metrics callback must not turn a successful query into a failed one.
    }
  }
}

function buildHeaders(
  auth: PrometheusAuth | undefined,
  extra: Readonly<Record<string, string>> | undefined
): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) {
      throw new TypeError(`headers: header "${name.replace(/[\r\n]/g, ' ')}" contains a line break`);
    }
    headers[name.toLowerCase()] = value;
  }
  if (auth !== undefined) {
    if (headers['authorization'] !== undefined) {
      throw new TypeError('headers: authorization is set and auth is also set; configure credentials in one place');
    }
    if (auth.type === 'basic') {
      if (auth.username.includes(':')) {
        throw new TypeError('auth: a basic-auth username must not contain ":"');
      }
      headers['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    } else if (auth.type === 'bearer') {
      if (auth.token === '' || /[\s]/.test(auth.token)) {
        throw new TypeError('auth: a bearer token must be non-empty and contain no whitespace');
      }
      headers['authorization'] = `Bearer ${auth.token}`;
    } else {
      throw new TypeError(`auth: unknown type (expected "basic" or "bearer")`);
    }
  }
  return headers;
}

/** Node's codes for a rejected server certificate (as opposed to a dropped connection). */
const CERTIFICATE_ERROR_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function isCertificateError(error: unknown): boolean {
  const err = error as { code?: unknown; cause?: { code?: unknown } };
  return [err.code, err.cause?.code].some((code) => typeof code === 'string' && CERTIFICATE_ERROR_CODES.has(code));
}

function describeNetworkError(error: unknown): string {
  const err = error as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  const code = typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : '';
  const message =
    typeof err.cause?.message === 'string' && err.cause.message !== ''
      ? err.cause.message
      : typeof err.message === 'string'
        ? err.message
        : String(error);
  return code !== '' && !message.includes(code) ? `${code}: ${message}` : message;
}

function formatTime(value: number, name: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new PrometheusError('query', `${name} must be finite Unix seconds (got ${String(value)})`);
  }
  return String(value);
}

function positive(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${name} must be a number > 0 (got ${String(value)})`);
  }
  return value;
}

function nonNegative(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a number >= 0 (got ${String(value)})`);
  }
  return value;
}

function integerAtLeast(value: number, min: number, name: string): number {
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`${name} must be an integer >= ${min} (got ${String(value)})`);
  }
  return value;
}
