import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';

import { buildApp } from '../src/app.js';
import { ConfigStore } from '../src/config/ConfigStore.js';
import { loadConfigText } from '../src/config/loadConfigText.js';
import { ReadinessTracker } from '../src/lifecycle/ReadinessTracker.js';
import { createSidecarMetrics } from '../src/metrics/createSidecarMetrics.js';
import { HealthReporter } from '../src/metrics/HealthReporter.js';

const FILE = join(tmpdir(), 'seismo-readiness-test.yaml');

function setup() {
  let now = 0;
  const store = new ConfigStore(
    loadConfigText('prometheus:\n  url: http://prometheus:9090\ndetection:\n  intervalSeconds: 15\n', FILE, { env: {} })
  );
  const readiness = new ReadinessTracker({
    clock: () => now,
    prometheusMaxAgeSeconds: () => 3 * store.current().config.detection.intervalSeconds,
  });
  const metrics = createSidecarMetrics({ build: { version: '1', revision: 'r' }, processMetrics: false });
  const health = new HealthReporter({
    metrics,
    readiness,
    intervalSeconds: () => store.current().config.detection.intervalSeconds,
    clock: () => now,
  });
  const app = buildApp({
    config: store,
    metrics,
    readiness,
    build: { version: '1', revision: 'r' },
    logger: false,
  });
  const readyz = async () => {
    const res = await app.inject({ url: '/readyz' });
    return { status: res.statusCode, body: res.json() as { status: string; reasons?: string[] } };
  };
  return { app, store, readiness, health, readyz, advance: (seconds: number) => void (now += seconds * 1000) };
}

describe('/readyz', () => {
  it('is 503 with the reasons until a cycle completed and Prometheus answered, then 200', async () => {
    const t = setup();
    assert.deepEqual(await t.readyz(), {
      status: 503,
      body: {
        status: 'not_ready',
        reasons: ['no detection cycle has completed yet', 'Prometheus has not answered yet'],
      },
    });
    t.readiness.prometheusAnswered();
    assert.deepEqual(await t.readyz(), {
      status: 503,
      body: { status: 'not_ready', reasons: ['no detection cycle has completed yet'] },
    });
    t.readiness.cycleCompleted();
    assert.deepEqual(await t.readyz(), { status: 200, body: { status: 'ready' } });
  });

  it('goes back to 503 when Prometheus has not answered for three intervals, and recovers', async () => {
    const t = setup();
    t.readiness.prometheusAnswered();
    t.readiness.cycleCompleted();
    t.advance(45);
    assert.equal((await t.readyz()).status, 200, 'exactly at the limit is still ready');
    t.advance(15);
    assert.deepEqual(await t.readyz(), {
      status: 503,
      body: { status: 'not_ready', reasons: ['Prometheus last answered 60 s ago (limit 45 s)'] },
    });
    t.readiness.prometheusAnswered();
    assert.equal((await t.readyz()).status, 200);
  });

  it('the freshness limit follows a reloaded detection interval', async () => {
    const t = setup();
    t.readiness.prometheusAnswered();
    t.readiness.cycleCompleted();
    t.advance(60);
    assert.equal((await t.readyz()).status, 503);
    await t.store.replace(
      loadConfigText(
        'prometheus:\n  url: http://prometheus:9090\ndetection:\n  intervalSeconds: 30\n  stepSeconds: 15\n',
        FILE,
        { env: {} }
      )
    );
    assert.equal((await t.readyz()).status, 200);
  });

  it('is 503 once shutdown began, while /healthz stays 200', async () => {
    const t = setup();
    t.readiness.prometheusAnswered();
    t.readiness.cycleCompleted();
    t.readiness.stopping();
    assert.deepEqual(await t.readyz(), { status: 503, body: { status: 'not_ready', reasons: ['shutting down'] } });
    assert.equal((await t.app.inject({ url: '/healthz' })).statusCode, 200);
  });

  it('the loop reports through HealthReporter: readiness, cycle metrics and overruns', async () => {
    const t = setup();
    t.advance(1000);
    t.health.prometheusQuery('network');
    t.health.cycleCompleted(3);
    assert.deepEqual(
      (await t.readyz()).body.reasons,
      ['Prometheus has not answered yet'],
      'a failed query is not an answer'
    );
    t.health.prometheusQuery('ok');
    assert.equal((await t.readyz()).status, 200);
    t.health.cycleCompleted(16);
    t.health.inference(0.004);
    const metrics = (await t.app.inject({ url: '/metrics' })).body;
    assert.match(metrics, /^seismo_cycle_duration_seconds_count 2$/m);
    assert.match(metrics, /^seismo_cycle_overruns_total 1$/m);
    assert.match(metrics, /^seismo_cycle_last_success_timestamp_seconds 1000$/m);
    assert.match(metrics, /^seismo_prometheus_queries_total 2$/m);
    assert.match(metrics, /^seismo_prometheus_query_errors_total\{kind="network"\} 1$/m);
    assert.match(metrics, /^seismo_inference_duration_seconds_bucket\{le="0.005"\} 1$/m);
  });
});
