/**
 * Types of the Prometheus process harness: what startPrometheus accepts, what it returns and
 * the shapes of query results. Timestamps follow the Prometheus HTTP API: a number is Unix
 * time in seconds (fractions allowed); a Date is converted.
 */

/** A point in time as accepted by the query methods: Unix seconds or a Date. */
export type PromTime = number | Date;

/** One scrape job. Each job name must be unique within a configuration. */
export interface ScrapeTarget {
  job: string;
  /** host:port pairs without scheme, e.g. '127.0.0.1:9464'. */
  targets: string[];
  /** Default '/metrics'. */
  metricsPath?: string;
  /** Labels added to every series scraped from these targets. */
  labels?: Record<string, string>;
  /** Keep the target's own job / instance labels instead of overwriting them. Default false. */
  honorLabels?: boolean;
  /** Per-job override of the global scrape interval, in seconds. */
  scrapeIntervalSeconds?: number;
}

/** One rule of a rule group, as in a Prometheus rule file. */
export interface PrometheusRule {
  record?: string;
  alert?: string;
  expr: string;
  /** Prometheus duration, e.g. '10s'. Alerting rules only. */
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PrometheusRuleGroup {
  name: string;
  /** Prometheus duration; defaults to the global evaluation interval. */
  interval?: string;
  rules: PrometheusRule[];
}

export type LogStream = 'stdout' | 'stderr';

export interface StartPrometheusOptions {
  scrapeTargets: ScrapeTarget[];
  /** Global scrape interval in seconds. Default 1. */
  scrapeIntervalSeconds?: number;
  /** Global rule evaluation interval in seconds. Default: the scrape interval. */
  evaluationIntervalSeconds?: number;
  /** Paths of existing rule files, passed to Prometheus as they are. */
  ruleFiles?: string[];
  /** Rule groups written to a rule file in the harness's own working directory. */
  ruleGroups?: PrometheusRuleGroup[];
  /** TSDB directory. A given directory is kept on stop(); by default a fresh temporary
   * directory is created and removed on stop(). */
  dataDir?: string;
  /** Port on 127.0.0.1. Default: a free port. */
  port?: number;
  /** Prometheus duration for --storage.tsdb.retention.time. Default '1d'. */
  retention?: string;
  /** Prometheus executable. Default: $PROMETHEUS_BIN, else /usr/bin/prometheus. */
  binary?: string;
  /** Extra command line flags, e.g. ['--web.enable-admin-api', '--web.enable-lifecycle']. */
  extraFlags?: string[];
  /** Receives each line Prometheus writes. Default: lines are only kept for error messages. */
  log?: (line: string, stream: LogStream) => void;
  /** How long to wait for /-/ready on each start or restart. Default 30 000 ms. */
  readyTimeoutMs?: number;
  /** How long stop() / restart() wait after SIGTERM before SIGKILL. Default 10 000 ms. */
  stopGraceMs?: number;
  /** Timeout of each HTTP request to Prometheus. Default 10 000 ms. */
  requestTimeoutMs?: number;
}

/** One element of an instant vector. */
export interface VectorSample {
  metric: Record<string, string>;
  /** Unix seconds. */
  time: number;
  value: number;
}

export interface SamplePoint {
  /** Unix seconds. */
  time: number;
  value: number;
}

/** One series of a range vector. */
export interface MatrixSeries {
  metric: Record<string, string>;
  values: SamplePoint[];
}

/** Result of an instant query, discriminated by resultType as in the HTTP API. Sample values
 * are parsed to numbers ('NaN', '+Inf', '-Inf' included). Native histograms are not mapped. */
export type InstantQueryResult =
  | { resultType: 'vector'; result: VectorSample[]; warnings: string[] }
  | { resultType: 'matrix'; result: MatrixSeries[]; warnings: string[] }
  | { resultType: 'scalar'; result: SamplePoint; warnings: string[] }
  | { resultType: 'string'; result: { time: number; value: string }; warnings: string[] };

export type TargetHealth = 'up' | 'down' | 'unknown';

/** An active scrape target as reported by /api/v1/targets. */
export interface ScrapeTargetStatus {
  job: string;
  scrapePool: string;
  scrapeUrl: string;
  /** Labels after relabelling (job, instance and the configured labels). */
  labels: Record<string, string>;
  health: TargetHealth;
  /** Empty when the last scrape succeeded. */
  lastError: string;
  /** Start of the last scrape; undefined before the first one. */
  lastScrape: Date | undefined;
  lastScrapeDurationSeconds: number;
}

/** How a Prometheus process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A Prometheus started by startPrometheus. */
export interface RunningPrometheus {
  /** Base URL, e.g. 'http://127.0.0.1:40123' (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** PID of the current process; changes on restart(). */
  readonly pid: number;
  readonly dataDir: string;
  /** Path of the generated prometheus.yml. */
  readonly configFile: string;
  /** True from a successful start until the process exits (kill, crash or stop). */
  readonly running: boolean;

  query(promql: string, time?: PromTime): Promise<InstantQueryResult>;
  /** Instant query that must return a vector (a scalar becomes one sample without labels). */
  queryVector(promql: string, time?: PromTime): Promise<VectorSample[]>;
  queryRange(promql: string, start: PromTime, end: PromTime, stepSeconds: number): Promise<MatrixSeries[]>;
  targets(): Promise<ScrapeTargetStatus[]>;
  /** Waits until every configured target has been scraped successfully. */
  waitForTargetsUp(timeoutMs?: number): Promise<ScrapeTargetStatus[]>;
  /** Polls queryVector(promql) until predicate holds; resolves with the samples it accepted. */
  waitFor(promql: string, predicate: (samples: VectorSample[]) => boolean, timeoutMs?: number): Promise<VectorSample[]>;
  /** Re-reads the configuration (SIGHUP) and resolves once Prometheus reports it applied. */
  reload(): Promise<void>;
  /** Rewrites the scrape targets in the configuration and reloads. */
  updateTargets(scrapeTargets: ScrapeTarget[]): Promise<void>;
  /** Sends a terminating signal (default SIGKILL, to simulate a crash) and waits for the exit.
   * Directories are kept so that restart() can continue on the same data. */
  kill(signal?: NodeJS.Signals): Promise<ProcessExit>;
  /** Stops the process if it runs (gracefully) and starts it again on the same port and data
   * directory; resolves when it is ready. */
  restart(): Promise<void>;
  /** SIGTERM, SIGKILL after the grace period, then removes the temporary directories.
   * Idempotent: later calls return the same promise. */
  stop(): Promise<void>;
}
