import type { FakeEntity, SeriesFunction } from './fakePrometheus.js';

/** A three-service chain behind a load generator: loadgen → a → b → c. */
export const SERVICES = ['a', 'b', 'c'] as const;
export const EDGES: ReadonlyArray<readonly [string, string]> = [
  ['loadgen', 'a'],
  ['a', 'b'],
  ['b', 'c'],
];
const TEAMS: Readonly<Record<string, string>> = { a: 'web', b: 'orders', c: 'payments' };

export function meshEntities(): FakeEntity[] {
  const out: FakeEntity[] = [];
  for (const service of SERVICES) {
    out.push({
      labels: { service },
      metrics: ['svc_request_rate', 'svc_error_ratio', 'svc_latency_p95'],
    });
    out.push({
      labels: { service, namespace: 'shop', label_team: TEAMS[service] as string },
      metrics: ['ident_service'],
    });
  }
  for (const [client, server] of EDGES) {
    out.push({ labels: { client, server }, metrics: ['edge_request_rate', 'edge_error_ratio', 'edge_latency_p95'] });
  }
  return out;
}

/** Deterministic noise in [-1, 1] for a metric, entity and time. */
function noise(key: string, t: number): number {
  let h = 2166136261;
  const text = `${key}@${t}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return (h / 0xffffffff) * 2 - 1;
}

export interface MeshFault {
  /** Unix seconds from which the fault is active (until `to`, exclusive). */
  from: number;
  to: number;
  /** Latency multiplier on service c and the edge b → c. */
  factor: number;
}

/** Normal behaviour with small noise, plus an optional latency fault at c. */
export function meshValues(fault: { current: MeshFault | null }): SeriesFunction {
  return (metric, labels, t) => {
    const key = `${metric}:${labels.service ?? ''}:${labels.client ?? ''}->${labels.server ?? ''}`;
    const n = noise(key, t);
    const f = fault.current;
    const faulty =
      f !== null &&
      t >= f.from &&
      t < f.to &&
      (labels.service === 'c' || (labels.client === 'b' && labels.server === 'c'));
    switch (metric) {
      case 'svc_request_rate':
      case 'edge_request_rate':
        return 20 + 2 * n;
      case 'svc_error_ratio':
      case 'edge_error_ratio':
        return 0.01 + 0.002 * n;
      case 'svc_latency_p95':
      case 'edge_latency_p95':
        return (0.1 + 0.01 * n) * (faulty ? f.factor : 1);
      default:
        return null;
    }
  };
}
