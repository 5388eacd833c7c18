import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CANONICAL_SIGNALS, SignalInputError, requireSignal } from '../src/signals/index.js';

describe('canonical signals', () => {
  it('lists the service signals in canonical order with base units', () => {
    assert.deepEqual(Object.keys(CANONICAL_SIGNALS.service), [
      'request_rate',
      'error_ratio',
      'latency_p50',
      'latency_p95',
      'latency_p99',
      'outbound_request_rate',
      'outbound_error_ratio',
      'outbound_latency_p95',
      'cpu_usage',
      'memory_working_set',
      'network_receive_rate',
      'network_transmit_rate',
    ]);
    const units = Object.fromEntries(Object.values(CANONICAL_SIGNALS.service).map((s) => [s.name, s.unit]));
    assert.equal(units.latency_p95, 'seconds');
    assert.equal(units.error_ratio, 'ratio (0-1)');
    assert.equal(units.cpu_usage, 'cores');
    assert.equal(units.memory_working_set, 'bytes');
    assert.equal(units.network_receive_rate, 'bytes/second');
    assert.equal(units.request_rate, 'requests/second');
  });

  it('lists the edge signals', () => {
    assert.deepEqual(Object.keys(CANONICAL_SIGNALS.edge), ['request_rate', 'error_ratio', 'latency_p95']);
    assert.ok(Object.values(CANONICAL_SIGNALS.edge).every((s) => s.scope === 'edge'));
  });

  it('describes every signal completely and consistently', () => {
    for (const [scope, table] of Object.entries(CANONICAL_SIGNALS)) {
      for (const [key, spec] of Object.entries(table)) {
        assert.equal(spec.name, key);
        assert.equal(spec.scope, scope);
        assert.ok(spec.description.length > 20, `${scope}.${key} has a description`);
        assert.ok(spec.scaleFloor > 0, `${scope}.${key} has a positive scale floor`);
        assert.ok(spec.grafanaUnit.length > 0);
        assert.ok(Object.isFrozen(spec));
      }
    }
    assert.equal(CANONICAL_SIGNALS.service.error_ratio.max, 1);
  });

  it('resolves names and rejects unknown ones by name', () => {
    assert.equal(requireSignal('edge', 'latency_p95').unit, 'seconds');
    assert.throws(
      () => requireSignal('service', 'latency_p90'),
      (e: unknown) => {
        assert.ok(e instanceof SignalInputError);
        assert.match(e.message, /unknown service signal "latency_p90"/);
        return true;
      }
    );
    assert.throws(() => requireSignal('edge', 'cpu_usage'), /unknown edge signal "cpu_usage"/);
    assert.throws(() => requireSignal('pod' as never, 'cpu_usage'), /unknown signal scope "pod"/);
  });
});
