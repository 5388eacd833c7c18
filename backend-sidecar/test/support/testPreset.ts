import { parsePreset } from '../../src/adapters/parsePreset.js';
import type { Preset } from '../../src/adapters/types.js';

/**
 * A preset whose queries name plain test metrics (svc_*, edge_*, ident_*), so FakePrometheus
 * can answer them by name.
 */
export const TEST_PRESET_YAML = `source: test
description: test metrics
defaults:
  labels: { service: service, client: client, server: server }
identity:
  query: max by (service, namespace, label_team) (ident_service)
  service: service
  namespace: namespace
  labelPrefix: label_
signals:
  service:
    request_rate: { query: 'sum by (service) (svc_request_rate)' }
    error_ratio: { query: 'sum by (service) (svc_error_ratio)' }
    latency_p95: { query: 'sum by (service) (svc_latency_p95)' }
  edge:
    request_rate: { query: 'sum by (client, server) (edge_request_rate)' }
    error_ratio: { query: 'sum by (client, server) (edge_error_ratio)' }
    latency_p95: { query: 'sum by (client, server) (edge_latency_p95)' }
`;

export function testPreset(): Preset {
  return parsePreset(TEST_PRESET_YAML, 'test-preset.yaml');
}
