/**
 * The sidecar's typed configuration after validation: every default filled in, every path
 * absolute, every secret wrapped. Consumers may trust each value without re-checking it.
 */
import type { ForecasterConfig } from '../forecast/resolveForecasterConfig.js';
import type { IncidentConfig } from '../incidents/resolveIncidentConfig.js';
import type { UnivariateConfig } from '../detectors/univariate/types.js';
import type { RankOptions } from '../rootcause/types.js';
import type { Secret } from './Secret.js';

export type PrometheusAuthMode = 'none' | 'basic' | 'bearer';

export interface PrometheusTlsConfig {
  readonly caFile: string | null;
  readonly certFile: string | null;
  readonly keyFile: string | null;
  readonly insecureSkipVerify: boolean;
  readonly serverName: string | null;
}

export interface PrometheusConfig {
  readonly url: string;
  readonly auth: PrometheusAuthMode;
  readonly user: string | null;
  readonly passwordFile: string | null;
  readonly password: Secret | null;
  readonly bearerTokenFile: string | null;
  readonly bearerToken: Secret | null;
  /** Extra request headers such as a tenant id; values are treated as secrets. */
  readonly headers: Readonly<Record<string, Secret>>;
  readonly tls: PrometheusTlsConfig;
  /** Time limit of one HTTP request. */
  readonly timeoutSeconds: number;
  /** Retries after the first attempt of a failed request. */
  readonly retries: number;
  /** Most points per series one query_range request may ask for; longer ranges are split. */
  readonly maxPointsPerQuery: number;
}

export interface TelemetryConfig {
  /** Built-in adapter presets, in the order given. */
  readonly presets: readonly string[];
  /** User preset files (absolute paths). */
  readonly presetFiles: readonly string[];
  /** Label of a service's identity that names its owning team (after the preset's label prefix is removed). */
  readonly ownerLabel: string;
}

/** Plain data (not a RegExp) so the config can be compared, dumped and hashed. */
export type StringMatcher = { readonly exact: string } | { readonly regex: string };

export interface SelectionRule {
  readonly namespace: StringMatcher | null;
  readonly service: StringMatcher | null;
  readonly labels: Readonly<Record<string, StringMatcher>>;
}

export interface SelectionConfig {
  /** A service is monitored when it matches any include rule (no rules: every service) ... */
  readonly include: readonly SelectionRule[];
  /** ... and no exclude rule. */
  readonly exclude: readonly SelectionRule[];
  /** State of a service that has not been seen for this long is dropped. */
  readonly expireAfterSeconds: number;
}

/**
 * Settings of the streaming univariate detectors (edges, and services the autoencoder cannot
 * score), in points of detection.stepSeconds. `seasonal` adds daily and weekly references where
 * the step divides them; the periods themselves follow from the step.
 */
export type UnivariateSettings = Omit<UnivariateConfig, 'seasonalPeriods'> & { readonly seasonal: boolean };

/** detection.baselines: the baselines the sidecar learns per service for the autoencoder. */
export interface BaselineLearningConfig {
  /** History the baselines are learned from (rolling). */
  readonly windowSeconds: number;
  /** How often they are learned again. */
  readonly refreshSeconds: number;
  /** Resolution of the history read for learning; at most one point per step is learned. */
  readonly stepSeconds: number;
  /** Points a signal needs before its learned statistics are used or replace earlier ones. */
  readonly minPoints: number;
  /** Whether learned baselines win over a model's own statistics for a service it was trained on. */
  readonly prefer: 'model' | 'learned';
}

export interface DetectionConfig {
  readonly intervalSeconds: number;
  readonly stepSeconds: number;
  readonly windowSteps: number;
  readonly modelDir: string;
  readonly maxConcurrentQueries: number;
  /** Rate window of the telemetry templates (${window}). */
  readonly rateWindowSeconds: number;
  /** History read at start-up to warm the univariate detectors and backfill the forecasters. */
  readonly warmupHistorySeconds: number;
  /** A detector whose newest sample is older than this many steps is stale. */
  readonly staleAfterSteps: number;
  /** Callers that are not mesh services (a load generator, an ingress): shown as external nodes. */
  readonly externalClients: readonly string[];
  readonly univariate: Readonly<UnivariateSettings>;
  readonly baselines: Readonly<BaselineLearningConfig>;
}

export interface ForecastTargetsConfig {
  readonly signals: readonly string[];
  readonly scopes: ReadonlyArray<'service' | 'edge'>;
}

export interface ForecastConfig {
  readonly enabled: boolean;
  readonly refitBudgetSecondsPerCycle: number;
  /** Most targets forecast at once (highest traffic first), so memory stays bounded in large meshes. */
  readonly maxTargets: number;
  readonly targets: ForecastTargetsConfig;
  readonly forecaster: Readonly<ForecasterConfig>;
}

export interface ApiConfig {
  readonly host: string;
  readonly port: number;
  readonly tokenFile: string | null;
  /** null: the API is open, which validation allows only on loopback or when allowUnauthenticated. */
  readonly token: Secret | null;
  readonly allowUnauthenticated: boolean;
  readonly maxRangeSeconds: number;
  readonly maxPoints: number;
  readonly bodyLimitBytes: number;
}

export interface StorageConfig {
  readonly stateDir: string;
  /** Closed incidents kept in the history (newest first); older ones are dropped. */
  readonly maxIncidents: number;
  /** Evaluation notes (opened, escalated, closed, tolerated spikes) kept. */
  readonly maxEvaluationNotes: number;
}

/**
 * Root-cause ranking: the ranker's options plus how the sidecar prepares its input (the
 * baseline read before the analysed window, the recent level, how many services are ranked).
 */
export interface RootCauseConfig extends RankOptions {
  /** Baseline length before the analysed window that deviations are calibrated on. */
  readonly baselineSeconds: number;
  /** Recent level: median over [window start - levelFromSeconds, window start - levelToSeconds]. */
  readonly levelFromSeconds: number;
  readonly levelToSeconds: number;
  /** Most services ranked per incident: the affected ones and their neighbours, nearest first. */
  readonly maxServices: number;
}

export interface ShardingConfig {
  /** This replica's shard, 0-based, below `count`. */
  readonly index: number;
  readonly count: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LogConfig {
  readonly level: LogLevel;
}

export interface SidecarConfig {
  readonly prometheus: PrometheusConfig;
  readonly telemetry: TelemetryConfig;
  readonly selection: SelectionConfig;
  readonly detection: DetectionConfig;
  readonly forecast: ForecastConfig;
  readonly incidents: Readonly<IncidentConfig>;
  readonly rootCause: Readonly<RootCauseConfig>;
  readonly api: ApiConfig;
  readonly storage: StorageConfig;
  readonly sharding: ShardingConfig;
  readonly log: LogConfig;
}

/** A validated config with where it came from. */
export interface LoadedConfig {
  readonly config: SidecarConfig;
  /** The config file as given on the command line. */
  readonly file: string;
  /** sha256 of the file's bytes (hex). */
  readonly hash: string;
  /** Milliseconds since the epoch. */
  readonly loadedAt: number;
}

/** What the HTTP app and other readers need: the config in force right now. */
export interface ConfigView {
  current(): LoadedConfig;
  /** Restart-only settings whose file value differs from the value in force. */
  pendingRestart(): string[];
}

/**
 * One validation problem. `source` says where: "file:line:col" when the YAML has the key,
 * "file" when the key is missing, "env NAME" when an environment variable supplied the value.
 */
export interface ConfigIssue {
  readonly source: string;
  readonly path: string;
  readonly message: string;
  /** For sorting: line in the file, when known. */
  readonly line?: number;
  readonly col?: number;
}
