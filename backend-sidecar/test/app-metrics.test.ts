import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';

import { Counter, register as globalRegistry } from 'prom-client';

import { buildApp } from '../src/app.js';
import { ConfigStore } from '../src/config/ConfigStore.js';
import { loadConfigText } from '../src/config/loadConfigText.js';
import { createSidecarMetrics } from '../src/metrics/createSidecarMetrics.js';
import type { SidecarMetrics } from '../src/metrics/SidecarMetrics.js';

const FILE = join(tmpdir(), 'seismo-metrics-test.yaml');

function build(metrics: SidecarMetrics) {
  const store = new ConfigStore(
    loadConfigText('prometheus:\n  url: http://prometheus:9090\n', FILE, {
      env: { SEISMO_API_TOKEN: 'metrics-token-0123456789' },
    })
  );
  return buildApp({
    config: store,
    metrics,
    readiness: { check: () => ({ ready: true, reasons: [] }) },
    build: { version: '1.2.3', revision: 'deadbeef' },
    logger: false,
  });
}

async function scrape(metrics: SidecarMetrics): Promise<{ contentType: string; body: string }> {
  const res = await build(metrics).inject({ url: '/metrics' });
  assert.equal(res.statusCode, 200);
  return { contentType: String(res.headers['content-type']), body: res.body };
}

/** name -> type from the "# TYPE" lines. */
function types(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const match of body.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    out.set(match[1] as string, match[2] as string);
  }
  return out;
}

describe('/metrics', () => {
  it('serves the health metrics in the Prometheus text format, without a token', async () => {
    const { contentType, body } = await scrape(
      createSidecarMetrics({ build: { version: '1.2.3', revision: 'deadbeef' } })
    );
    assert.match(contentType, /^text\/plain; version=0\.0\.4/);
    const t = types(body);
    const expected: Array<[string, string]> = [
      ['seismo_build_info', 'gauge'],
      ['seismo_cycle_duration_seconds', 'histogram'],
      ['seismo_cycle_overruns_total', 'counter'],
      ['seismo_cycle_last_success_timestamp_seconds', 'gauge'],
      ['seismo_prometheus_queries_total', 'counter'],
      ['seismo_prometheus_query_errors_total', 'counter'],
      ['seismo_inference_duration_seconds', 'histogram'],
      ['seismo_config_reload_total', 'counter'],
      ['seismo_config_last_reload_success', 'gauge'],
      ['seismo_config_last_reload_success_timestamp_seconds', 'gauge'],
      ['seismo_process_cpu_user_seconds_total', 'counter'],
      ['seismo_process_start_time_seconds', 'gauge'],
      ['seismo_nodejs_eventloop_lag_seconds', 'gauge'],
    ];
    for (const [name, type] of expected) {
      assert.equal(t.get(name), type, name);
    }
    assert.match(
      body,
      new RegExp(
        `^seismo_build_info\\{version="1\\.2\\.3",revision="deadbeef",nodejs_version="${process.version.replace(/\./g, '\\.')}"\\} 1$`,
        'm'
      )
    );
    assert.match(body, /^seismo_config_reload_total\{result="failure"\} 0$/m);
    assert.match(body, /^seismo_prometheus_query_errors_total\{kind="network"\} 0$/m);
  });

  it('follows the naming conventions: seismo_ prefix on everything, _total on every counter', async () => {
    const { body } = await scrape(createSidecarMetrics({ build: { version: '1', revision: 'r' } }));
    const t = types(body);
    assert.ok(t.size > 20, `only ${t.size} metrics`);
    for (const [name, type] of t) {
      assert.ok(name.startsWith('seismo_'), `${name} lacks the prefix`);
      if (type === 'counter') {
        assert.ok(name.endsWith('_total'), `counter ${name} lacks _total`);
      }
    }
  });

  it("never serves prom-client's global registry and never writes to it", async () => {
    const probe = new Counter({ name: 'leak_probe_total', help: 'registered on the global registry by this test' });
    try {
      const first = createSidecarMetrics({ build: { version: '1', revision: 'r' } });
      // A second set in the same process must not collide: nothing is global.
      const second = createSidecarMetrics({ build: { version: '2', revision: 'r' } });
      const { body } = await scrape(second);
      assert.ok(!body.includes('leak_probe_total'), 'the global registry leaked into /metrics');
      assert.ok(body.includes('version="2"') && !body.includes('version="1"'), 'each app serves its own registry');
      const globalNames = (await globalRegistry.getMetricsAsJSON()).map((m) => m.name);
      assert.deepEqual(
        globalNames.filter((n) => n.startsWith('seismo_')),
        []
      );
      assert.notEqual(first.registry, second.registry);
    } finally {
      globalRegistry.removeSingleMetric('leak_probe_total');
      void probe;
    }
  });

  it('recordQuery counts queries and errors by kind', async () => {
    const metrics = createSidecarMetrics({ build: { version: '1', revision: 'r' }, processMetrics: false });
    metrics.recordQuery('ok');
    metrics.recordQuery('timeout');
    metrics.recordQuery('timeout');
    metrics.recordQuery('some_new_kind');
    metrics.cycleDuration.observe(0.7);
    metrics.cycleOverruns.inc();
    const { body } = await scrape(metrics);
    assert.match(body, /^seismo_prometheus_queries_total 4$/m);
    assert.match(body, /^seismo_prometheus_query_errors_total\{kind="timeout"\} 2$/m);
    assert.match(body, /^seismo_prometheus_query_errors_total\{kind="some_new_kind"\} 1$/m);
    assert.match(body, /^seismo_prometheus_query_errors_total\{kind="auth"\} 0$/m);
    assert.match(body, /^seismo_cycle_duration_seconds_bucket\{le="1"\} 1$/m);
    assert.match(body, /^seismo_cycle_duration_seconds_bucket\{le="0\.5"\} 0$/m);
    assert.match(body, /^seismo_cycle_overruns_total 1$/m);
  });
});
