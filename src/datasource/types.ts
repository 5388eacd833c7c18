import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

/**
 * Query model of the Seismo datasource (docs/frames.md). Each query is self-contained JSON so
 * that Grafana can evaluate it in the backend for alert rules, where no frontend interpolation
 * happens. Mirrored by pkg/models/query.go; both sides are tested against
 * pkg/models/testdata/query_contract.json.
 */
export type SeismoQueryType =
  'anomalyScore' | 'edgeScore' | 'forecast' | 'incidents' | 'rootCause' | 'topology' | 'signal' | 'services';

export type Scope = 'service' | 'edge';
export type IncidentView = 'timeline' | 'list' | 'tolerated' | 'annotations';
export type ForecastQuantity = 'actual' | 'yhat' | 'lower' | 'upper' | 'anomalous';

export const SCOPES: readonly Scope[] = ['service', 'edge'];
export const INCIDENT_VIEWS: readonly IncidentView[] = ['timeline', 'list', 'tolerated', 'annotations'];
export const FORECAST_QUANTITIES: readonly ForecastQuantity[] = ['actual', 'yhat', 'lower', 'upper', 'anomalous'];

export interface QueryTypeInfo {
  value: SeismoQueryType;
  label: string;
  description: string;
  /** Where the backend reads it: history from Prometheus, live views from the sidecar. */
  upstream: 'Prometheus' | 'sidecar';
  /** Whether alert rules can use it (numeric time series). */
  alertable: boolean;
}

export const QUERY_TYPES: readonly QueryTypeInfo[] = [
  {
    value: 'anomalyScore',
    label: 'Service anomaly score',
    description: 'Calibrated anomaly score in [0, 1] per service, optionally with per-signal contributions',
    upstream: 'Prometheus',
    alertable: true,
  },
  {
    value: 'edgeScore',
    label: 'Edge anomaly score',
    description: 'Anomaly score of call edges (client to server)',
    upstream: 'Prometheus',
    alertable: true,
  },
  {
    value: 'forecast',
    label: 'Forecast',
    description: 'Actual, forecast, interval and anomaly flag of one forecast target, with its accuracy',
    upstream: 'Prometheus',
    alertable: true,
  },
  {
    value: 'incidents',
    label: 'Incidents',
    description: 'Incident temperature and accumulators over time, the incident list, tolerated spikes or annotations',
    upstream: 'Prometheus',
    alertable: true,
  },
  {
    value: 'rootCause',
    label: 'Root cause',
    description: 'Ranked probable root causes of an incident with their evidence',
    upstream: 'sidecar',
    alertable: false,
  },
  {
    value: 'topology',
    label: 'Topology',
    description: 'The live call graph with health per service and edge (Node Graph frames)',
    upstream: 'sidecar',
    alertable: false,
  },
  {
    value: 'signal',
    label: 'Signal',
    description: 'A canonical signal of a service or edge, read through the telemetry presets',
    upstream: 'sidecar',
    alertable: true,
  },
  {
    value: 'services',
    label: 'Services',
    description: 'Monitored services or call edges, as a table (for variables)',
    upstream: 'Prometheus',
    alertable: false,
  },
];

export const INCIDENT_VIEW_OPTIONS: ReadonlyArray<{ value: IncidentView; label: string; description: string }> = [
  { value: 'timeline', label: 'Timeline', description: 'Temperature, thresholds, severity and accumulators over time' },
  { value: 'list', label: 'List', description: 'Incidents with severity, affected entities and root cause' },
  { value: 'tolerated', label: 'Tolerated spikes', description: 'Spikes that did not open an incident, and why' },
  { value: 'annotations', label: 'Annotations', description: 'Incidents as annotation events' },
];

export interface SeismoQuery extends DataQuery {
  queryType?: SeismoQueryType;
  /** Resolution as a Prometheus duration (e.g. "1m"); empty lets the backend choose one that
   * keeps every series under Prometheus's points limit. */
  step?: string;
  /** anomalyScore: empty means every service; forecast and signal (scope service): required;
   * topology: the focus; rootCause: keep this service's row. */
  service?: string;
  /** The ends of a call edge; empty means any (edgeScore), both required for edge scope. */
  client?: string;
  server?: string;
  /** forecast, signal, services: service (default) or edge. */
  scope?: Scope;
  /** A canonical signal; forecast defaults to latency_p95. */
  signal?: string;
  /** forecast: keep one of the five series (alert rules need one). */
  quantity?: ForecastQuantity;
  /** anomalyScore: also return the per-signal contributions. */
  contributions?: boolean;
  incidentView?: IncidentView;
  /** rootCause: empty means the open incident; incidents timeline: empty means every entity. */
  incidentId?: string;
  /** topology: nodes within this many hops (0-10) of the focus or the anomalous nodes. */
  hops?: number;
  anomalousOnly?: boolean;
}

/** Fields every query type reads, and the fields of each type. */
export const COMMON_QUERY_FIELDS = ['queryType', 'step'] as const;
export const QUERY_FIELDS: Readonly<Record<SeismoQueryType, ReadonlyArray<keyof SeismoQuery>>> = {
  anomalyScore: ['service', 'contributions'],
  edgeScore: ['client', 'server'],
  forecast: ['scope', 'service', 'client', 'server', 'signal', 'quantity'],
  incidents: ['incidentView', 'incidentId'],
  rootCause: ['incidentId', 'service'],
  topology: ['service', 'hops', 'anomalousOnly'],
  signal: ['scope', 'service', 'client', 'server', 'signal'],
  services: ['scope'],
};

export const DEFAULT_FORECAST_SIGNAL = 'latency_p95';

export const DEFAULT_QUERY: Partial<SeismoQuery> = {
  queryType: 'anomalyScore',
};

/** Query of a template variable: services, or one column of the call edges. */
export interface SeismoVariableQuery extends DataQuery {
  scope: Scope;
  /** For scope edge: which column becomes the value; `edge` is "client->server". */
  edgeField?: 'client' | 'server' | 'edge';
}

/** A canonical signal as the `signals` resource lists it. */
export interface SignalInfo {
  name: string;
  scope: Scope;
  unit: string;
  grafanaUnit: string;
  description: string;
}

export interface EdgeInfo {
  client: string;
  server: string;
}

export type PrometheusAuth = 'none' | 'basic' | 'bearer';

/** Non-secret settings, stored in jsonData. */
export interface SeismoOptions extends DataSourceJsonData {
  prometheusUrl?: string;
  sidecarUrl?: string;
  prometheusAuth?: PrometheusAuth;
  prometheusUser?: string;
  tlsSkipVerify?: boolean;
  timeoutSeconds?: number;
}

/** Secrets, stored encrypted in secureJsonData and never sent back to the browser. */
export interface SeismoSecureOptions {
  sidecarToken?: string;
  prometheusPassword?: string;
  prometheusBearerToken?: string;
  tlsCACert?: string;
}
