import { CANONICAL_SIGNALS, type SignalScope } from '../signals/index.js';

import type { SignalRole } from './types.js';

/** Roles of the canonical signals; free-form signals must be given a role by whoever names them. */
const SERVICE_ROLES: Readonly<Record<string, SignalRole>> = {
  request_rate: 'traffic',
  error_ratio: 'errors',
  latency_p50: 'latency',
  latency_p95: 'latency',
  latency_p99: 'latency',
  outbound_request_rate: 'traffic',
  outbound_error_ratio: 'outbound_errors',
  outbound_latency_p95: 'outbound_latency',
  cpu_usage: 'resource',
  memory_working_set: 'resource',
  network_receive_rate: 'traffic',
  network_transmit_rate: 'traffic',
};

// On an edge, latency and errors are what the client experiences of that one call.
const EDGE_ROLES: Readonly<Record<string, SignalRole>> = {
  request_rate: 'traffic',
  error_ratio: 'errors',
  latency_p95: 'latency',
};

/**
 * The role of a canonical signal, or null for a name outside the catalogue (the caller then has
 * to declare one). A signal added to the catalogue without a role here fails
 * test/rootcause-rank.test.ts instead of being silently ignored by the ranker.
 */
export function roleOfSignal(scope: SignalScope, name: string): SignalRole | null {
  const table = scope === 'edge' ? EDGE_ROLES : SERVICE_ROLES;
  const catalogue: Readonly<Record<string, unknown>> = CANONICAL_SIGNALS[scope];
  if (!Object.prototype.hasOwnProperty.call(catalogue, name)) {
    return null;
  }
  return table[name] ?? null;
}
