import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

/**
 * Query model of the Seismo datasource. Each query is self-contained JSON so that Grafana can
 * evaluate it in the backend for alert rules, where no frontend interpolation happens.
 * Mirrored by pkg/models/query.go.
 */
export type SeismoQueryType = 'anomalyScore' | 'edgeScore';

export const QUERY_TYPES: ReadonlyArray<{ value: SeismoQueryType; label: string; description: string }> = [
  {
    value: 'anomalyScore',
    label: 'Service anomaly score',
    description: 'Calibrated anomaly score in [0, 1] per service, from the history in Prometheus',
  },
  {
    value: 'edgeScore',
    label: 'Edge anomaly score',
    description: 'Anomaly score of a call edge (client to server), from the history in Prometheus',
  },
];

export interface SeismoQuery extends DataQuery {
  queryType?: SeismoQueryType;
  /** Service name; empty means every service. */
  service?: string;
  /** Client and server of a call edge; empty means every edge. */
  client?: string;
  server?: string;
}

export const DEFAULT_QUERY: Partial<SeismoQuery> = {
  queryType: 'anomalyScore',
};

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
