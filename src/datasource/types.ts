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
  /** Resolution as a Prometheus duration (e.g. "1m"); empty lets the backend choose one that
   * keeps every series under Prometheus's points limit. */
  step?: string;
  /** Service name; empty means every service. */
  service?: string;
  /** Client and server of a call edge; empty means every edge. */
  client?: string;
  server?: string;
}

/** Fields every query type reads, and the fields of each implemented type. The Go backend
 * mirrors this in pkg/models/query.go; both sides are tested against one contract file. */
export const COMMON_QUERY_FIELDS = ['queryType', 'step'] as const;
export const QUERY_FIELDS: Readonly<Record<SeismoQueryType, ReadonlyArray<keyof SeismoQuery>>> = {
  anomalyScore: ['service'],
  edgeScore: ['client', 'server'],
};

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
