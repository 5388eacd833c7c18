import { edgeEntityId } from '../incidents/edgeEntityId.js';
import { requireSignal } from '../signals/requireSignal.js';

/** What one forecaster forecasts: a canonical signal of a service or of a call edge. */
export interface ForecastTarget {
  /** Stable id, e.g. "frontend:latency_p95" or "frontend->cart:request_rate". */
  readonly id: string;
  readonly scope: 'service' | 'edge';
  /** Service name, or the edge id "client->server". */
  readonly entity: string;
  readonly signal: string;
}

/** p95 latency and request rate: the two signals whose daily shape a forecast band explains best. */
export const DEFAULT_FORECAST_SIGNALS = ['latency_p95', 'request_rate'] as const;

/**
 * The default forecast targets of a mesh: p95 latency and request rate of every service and of
 * every call edge. Signals are checked against the canonical catalogue so a renamed signal fails
 * here rather than producing a forecaster for a series that never arrives.
 */
export function defaultForecastTargets(
  services: readonly string[],
  edges: ReadonlyArray<{ client: string; server: string }>,
  signals: readonly string[] = DEFAULT_FORECAST_SIGNALS
): ForecastTarget[] {
  const out: ForecastTarget[] = [];
  const seen = new Set<string>();
  const add = (scope: 'service' | 'edge', entity: string, signal: string) => {
    requireSignal(scope, signal);
    const id = `${entity}:${signal}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push({ id, scope, entity, signal });
    }
  };
  for (const service of services) {
    for (const signal of signals) {
      add('service', service, signal);
    }
  }
  for (const { client, server } of edges) {
    for (const signal of signals) {
      add('edge', edgeEntityId(client, server), signal);
    }
  }
  return out;
}
