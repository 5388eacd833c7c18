/**
 * Types of the Prometheus HTTP API client: options, typed query results and the events and
 * counters it reports. Times are Unix seconds (fractions allowed), as in the HTTP API.
 */
import type { Dispatcher } from 'undici';
import type { PrometheusErrorKind } from './PrometheusError.js';

/** Label set of one series. */
export type Labels = Readonly<Record<string, string>>;

/** One sample: [unix seconds, value]. Values keep NaN and ±Inf as Prometheus reported them. */
export type Point = readonly [number, number];

export interface VectorSample {
  readonly metric: Labels;
  readonly time: number;
  readonly value: number;
}

export interface MatrixSeries {
  readonly metric: Labels;
  readonly points: readonly Point[];
}

export type InstantResult =
  | { readonly resultType: 'vector'; readonly result: readonly VectorSample[]; readonly warnings: readonly string[] }
  | { readonly resultType: 'matrix'; readonly result: readonly MatrixSeries[]; readonly warnings: readonly string[] }
  | { readonly resultType: 'scalar'; readonly result: Point; readonly warnings: readonly string[] }
  | {
      readonly resultType: 'string';
      readonly result: readonly [number, string];
      readonly warnings: readonly string[];
    };

export interface RangeResult {
  readonly resultType: 'matrix';
  readonly result: readonly MatrixSeries[];
  readonly warnings: readonly string[];
  /** How many query_range requests the range was split into (1 when it fit the point limit). */
  readonly chunks: number;
}

export type PrometheusAuth =
  | { readonly type: 'basic'; readonly username: string; readonly password: string }
  | { readonly type: 'bearer'; readonly token: string };

export interface PrometheusTlsOptions {
  /** PEM of the CA(s) that sign the server certificate; replaces the system roots when given. */
  readonly ca?: string;
  /** PEM client certificate and key for mutual TLS; both or neither. */
  readonly cert?: string;
  readonly key?: string;
  /** Accept any server certificate. Only for test setups: it disables server authentication. */
  readonly insecureSkipVerify?: boolean;
  /** Name to verify the certificate against when it differs from the URL's host. */
  readonly serverName?: string;
}

export interface RetryOptions {
  /** Attempts per HTTP request including the first. Default 4. */
  readonly maxAttempts?: number;
  /** Backoff cap of the first retry, doubled per attempt. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Upper bound of any single backoff (also of a server's Retry-After). Default 5000 ms. */
  readonly maxDelayMs?: number;
}

/** What the client reports while it works; the service shell turns these into its own metrics. */
export type PrometheusClientEvent =
  | {
      readonly type: 'query';
      readonly kind: 'instant' | 'range';
      /** 'ok' or the kind of error the query ended with. */
      readonly outcome: 'ok' | PrometheusErrorKind;
      readonly durationSeconds: number;
      /** HTTP requests made, retries included. */
      readonly requests: number;
      readonly chunks: number;
      readonly series: number;
      readonly samples: number;
    }
  | {
      readonly type: 'retry';
      /** The attempt that failed (1 = the first). */
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: PrometheusErrorKind;
    };

/** Cumulative counters since the client was created. */
export interface PrometheusClientStats {
  readonly queries: { readonly instant: number; readonly range: number };
  readonly requests: number;
  readonly retries: number;
  readonly chunks: number;
  /** Failed queries by the kind of their final error. */
  readonly errors: Readonly<Partial<Record<PrometheusErrorKind, number>>>;
  readonly samples: number;
  readonly durationSecondsTotal: number;
}

export interface PrometheusClientOptions {
  /** Base URL, with a path prefix where Prometheus is served under one (e.g. https://mimir/prometheus). */
  readonly url: string;
  readonly auth?: PrometheusAuth;
  readonly tls?: PrometheusTlsOptions;
  /** Extra request headers (e.g. a tenant header). Treated as secret: never reported. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Time limit of one HTTP request. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** Time limit of one query() / queryRange() call including retries and chunks. Default 60 s. */
  readonly deadlineMs?: number;
  readonly retry?: RetryOptions;
  /**
   * Most points per series one query_range request may ask for. Longer ranges are split into
   * chunks and merged. Default 11,000, Prometheus' own resolution limit.
   */
  readonly maxPointsPerSeries?: number;
  /**
   * Budget of series × points for one query. A query that would exceed it is refused with a
   * 'budget' error instead of loading an unbounded result into memory. Default 5,000,000.
   */
  readonly maxSamplesPerQuery?: number;
  /** Default 'POST' (no URL length limit for long generated PromQL). */
  readonly method?: 'GET' | 'POST';
  /**
   * Milliseconds on a monotonic or wall clock; used for deadlines and durations. Default Date.now.
   * The per-request timeout runs on a real timer, since it must interrupt a socket.
   */
  readonly clock?: () => number;
  /** Waits between retries. Default: a real timer that honours the abort signal. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for the backoff jitter. Default Math.random. */
  readonly random?: () => number;
  readonly onEvent?: (event: PrometheusClientEvent) => void;
  /** Brings one's own undici dispatcher (a proxy agent, a mock); TLS options are then ignored. */
  readonly dispatcher?: Dispatcher;
}

/** Per-call options. */
export interface QueryOptions {
  readonly signal?: AbortSignal;
  /** Overrides the client's deadline for this call. */
  readonly deadlineMs?: number;
}

/** The part of the client the telemetry reader needs; lets tests pass a fake. */
export interface RangeQueryApi {
  queryRange(
    promql: string,
    start: number,
    end: number,
    stepSeconds: number,
    options?: QueryOptions
  ): Promise<RangeResult>;
}

/** Instant queries; with RangeQueryApi what the sidecar needs of Prometheus (tests pass fakes). */
export interface InstantQueryApi {
  query(promql: string, time?: number, options?: QueryOptions): Promise<InstantResult>;
}

export type PrometheusApi = RangeQueryApi & InstantQueryApi;
