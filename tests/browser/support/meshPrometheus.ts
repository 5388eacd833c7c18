import type {
  InstantResult,
  MatrixSeries,
  PrometheusApi,
  RangeResult,
} from '../../../backend-sidecar/src/prometheus/types.js';
import { CANONICAL_SIGNALS } from '../../../backend-sidecar/src/signals/index.js';
import type { MeshTelemetry } from './meshTelemetry.js';

/** What MeshPrometheus answers from. */
export type MeshSource = Pick<MeshTelemetry, 'services' | 'edges' | 'serviceValue' | 'edgeValue'>;

const SERVICE_SIGNALS = Object.keys(CANONICAL_SIGNALS.service);
const EDGE_SIGNALS = ['request_rate', 'error_ratio', 'latency_p95'] as const;

/**
 * A telemetry preset whose templates name one plain metric per canonical signal (`svc_<signal>`,
 * `edge_<signal>`, `ident_service`), so that MeshPrometheus can answer each query by name. It
 * covers the twelve service signals of the default model and the three edge signals.
 */
export const MESH_PRESET_YAML = `source: mesh
description: the demo mesh's canonical signals under plain metric names
defaults:
  labels: { service: service, client: client, server: server }
identity:
  query: max by (service, namespace, label_team) (ident_service)
  service: service
  namespace: namespace
  labelPrefix: label_
signals:
  service:
${SERVICE_SIGNALS.map((s) => `    ${s}: { query: 'sum by (service) (svc_${s})' }`).join('\n')}
  edge:
${EDGE_SIGNALS.map((s) => `    ${s}: { query: 'sum by (client, server) (edge_${s})' }`).join('\n')}
`;

/**
 * Prometheus as the sidecar sees it for the demo mesh: range queries of the preset's metrics
 * answer every service or edge from MeshTelemetry on the requested grid, the identity query lists
 * the services with their namespace and team, and anything else (the sidecar's own exported
 * series, read back at start) is empty, as on a fresh Prometheus.
 */
export class MeshPrometheus implements PrometheusApi {
  readonly #mesh: MeshSource;
  /** Every query asked, for the recording's notes. */
  readonly queries: string[] = [];

  constructor(mesh: MeshSource) {
    this.#mesh = mesh;
  }

  async queryRange(promql: string, start: number, end: number, step: number): Promise<RangeResult> {
    this.queries.push(promql);
    const match = /\b(svc|edge)_([a-z0-9_]+)/.exec(promql);
    const result: MatrixSeries[] = [];
    const grid: number[] = [];
    for (let t = start; t <= end + 1e-9; t += step) {
      grid.push(t);
    }
    const series = (metric: Record<string, string>, value: (t: number) => number | null) => {
      const points = grid.flatMap((t) => {
        const v = value(t);
        return v === null ? [] : [[t, v] as const];
      });
      if (points.length > 0) {
        result.push({ metric, points });
      }
    };
    if (match?.[1] === 'svc') {
      for (const { service } of this.#mesh.services()) {
        series({ service }, (t) => this.#mesh.serviceValue(service, match[2]!, t));
      }
    } else if (match?.[1] === 'edge') {
      for (const { client, server } of this.#mesh.edges()) {
        series({ client, server }, (t) => this.#mesh.edgeValue(client, server, match[2]!, t));
      }
    }
    return { resultType: 'matrix', result, warnings: [], chunks: 1 };
  }

  async query(promql: string, time?: number): Promise<InstantResult> {
    this.queries.push(promql);
    const at = time ?? 0;
    if (!/\bident_service\b/.test(promql)) {
      return { resultType: 'vector', result: [], warnings: [] };
    }
    return {
      resultType: 'vector',
      result: this.#mesh.services().map(({ service, namespace, team }) => ({
        metric: { service, namespace, label_team: team },
        time: at,
        value: 1,
      })),
      warnings: [],
    };
  }
}
