import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { buildTestApp } from './support/buildTestApp.js';
import { buildTestService, FAST_DETECTION, FAST_INCIDENTS, type TestService } from './support/buildTestService.js';
import { FakePrometheus } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { meshEntities, meshValues } from './support/meshFixture.js';
import { runCycles } from './support/runCycles.js';
import { loadAugurs } from '../src/forecast/loadAugurs.js';

const T0 = 1_700_000_000;

describe('discovery, expiry and forecasts in the loop', () => {
  const services: TestService[] = [];
  after(async () => {
    for (const t of services) {
      await t.service.stop();
    }
  });

  it('a service that stops reporting goes stale, then expires with its series and engine state', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    let goneFrom = Number.POSITIVE_INFINITY;
    const values = meshValues({ current: null });
    const prom = new FakePrometheus(meshEntities(), (metric, labels, t) =>
      t >= goneFrom && (labels.service === 'c' || labels.server === 'c') ? null : values(metric, labels, t)
    );
    const yaml = `${FAST_DETECTION}${FAST_INCIDENTS}selection:\n  expireAfterSeconds: 60\nforecast:\n  enabled: false\n`;
    const t = buildTestService({ prometheus: prom, clock, yaml });
    services.push(t);
    await t.service.start();
    await t.service.ready;
    const [first] = await runCycles(t, clock, 1);
    assert.ok(first!.services.has('c'));
    goneFrom = first!.end + 1;
    const later = await runCycles(t, clock, 6);
    const stale = later[later.length - 1]!;
    assert.equal(stale.services.get('c')?.state, 'stale', stale.services.get('c')?.reasons.join('; '));
    assert.equal(stale.edges.get('b->c')?.state, 'stale');
    assert.match(
      await t.sidecarMetrics.registry.metrics(),
      /^seismo_service_detector_state\{service="c",detector="univariate",state="stale"\} 1$/m
    );
    const expired = await runCycles(t, clock, 8);
    const last = expired[expired.length - 1]!;
    assert.ok(!last.services.has('c'), 'c expired after selection.expireAfterSeconds');
    assert.ok(!last.edges.has('b->c'));
    assert.equal(last.discovered, 2);
    const metrics = await t.sidecarMetrics.registry.metrics();
    assert.doesNotMatch(metrics, /service="c"/, 'every series of c is removed');
    assert.doesNotMatch(metrics, /server="c"/);
    assert.match(metrics, /^seismo_services_discovered 2$/m);
    assert.equal(t.service.engineState().entities.c, undefined);
    assert.ok(t.logs.some((l) => l.msg.startsWith('entities expired')));
  });

  it('forecasts the busiest targets within forecast.maxTargets, fed every cycle and refitted within the budget', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    const prom = new FakePrometheus(meshEntities(), meshValues({ current: null }));
    const yaml =
      `${FAST_DETECTION}${FAST_INCIDENTS}forecast:\n  refitBudgetSecondsPerCycle: 2\n  maxTargets: 4\n` +
      `  targets:\n    signals: [latency_p95, request_rate]\n    scopes: [service, edge]\n` +
      `  forecaster:\n    candidates: [naive, seasonal-naive, ets]\n    horizonSeconds: 3600\n    validationSpanSeconds: 1200\n    selectionLeadSeconds: 60\n`;
    const t = buildTestService({ prometheus: prom, clock, yaml, augurs: await loadAugurs() });
    services.push(t);
    const app = buildTestApp(t, clock);
    await t.service.start();
    await t.service.ready;
    await runCycles(t, clock, 3);
    const list = (await app.inject('/api/v1/forecasts')).json();
    assert.equal(list.enabled, true);
    assert.equal(list.targets.length, 4, 'forecast.maxTargets bounds the targets');
    const fitted = list.targets.filter((f: { lastFit: number | null }) => f.lastFit !== null);
    assert.ok(fitted.length >= 1, 'refits happen within the cycle budget');
    assert.ok(
      list.targets.every((f: { actual: number | null }) => f.actual !== null),
      'fed every cycle'
    );
    const metrics = await t.sidecarMetrics.registry.metrics();
    assert.equal((metrics.match(/^seismo_forecast_state\{/gm) ?? []).length, 4);
    assert.match(metrics, /^seismo_forecast_refits_total\{result="success"\} [1-9]/m);
    const target = list.targets[0] as {
      scope: string;
      service?: string;
      client?: string;
      server?: string;
      signal: string;
    };
    const query =
      target.scope === 'service'
        ? `scope=service&service=${target.service}&signal=${target.signal}`
        : `scope=edge&client=${target.client}&server=${target.server}&signal=${target.signal}`;
    const res = await app.inject(`/api/v1/forecasts/target?${query}&from=now-30m`);
    assert.equal(res.statusCode, 200, res.body);
    const frames = res.json().frames as Array<{
      schema: { name: string; fields: Array<{ name: string; labels?: Record<string, string> }> };
      data: { values: unknown[][] };
    }>;
    assert.deepEqual(
      frames.map((f) => f.schema.name),
      ['actual', 'yhat', 'lower', 'upper', 'anomalous']
    );
    assert.equal(frames[0]!.schema.fields[1]!.labels?.signal, target.signal);
    assert.ok((frames[0]!.data.values[0] as unknown[]).length > 100, 'recent actuals from the backfilled history');
    await app.close();
  });
});
