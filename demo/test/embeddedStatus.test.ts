import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';

import { formatSidecarStatus, type SidecarSnapshot } from '../src/embedded/formatSidecarStatus.js';
import type { FaultStatus } from '../src/faults/FaultController.js';
import { renderSidecarConfig } from '../src/scenarios/renderSidecarConfig.js';

const dir = mkdtempSync(join(tmpdir(), 'embedded-status-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const delay = {
  id: 'delay-frontend-shipping',
  type: 'delay',
  target: { client: 'frontend', server: 'shippingservice' },
  state: 'active',
  start: '2026-12-05T10:00:00.000Z',
} as unknown as FaultStatus;

function snapshot(fields: Partial<SidecarSnapshot> = {}): SidecarSnapshot {
  return {
    at: new Date('2026-12-05T10:02:00Z'),
    status: { lastCycle: { prometheusUp: true, durationSeconds: 0.31, queries: 29 }, services: { ok: 2 } },
    services: [
      {
        service: 'shippingservice',
        state: 'ok',
        detector: 'autoencoder',
        score: 0.997,
        threshold: 0.99,
        anomalous: true,
        accumulator: 14,
        topContributions: [{ signal: 'latency_p95', share: 0.62 }],
      },
      {
        service: 'adservice',
        state: 'warmup',
        detector: 'autoencoder',
        score: null,
        threshold: null,
        anomalous: null,
        accumulator: 0,
      },
    ],
    edges: [
      {
        id: 'frontend->shippingservice',
        state: 'ok',
        score: 1,
        anomalous: true,
        accumulator: 14,
        contributions: { latency_p95: 1, request_rate: 0 },
      },
      { id: 'frontend->adservice', state: 'ok', score: 0.2, anomalous: false, accumulator: 0, contributions: null },
    ],
    forecasts: [
      {
        scope: 'service',
        service: 'shippingservice',
        signal: 'latency_p95',
        state: 'ok',
        model: 'mstl',
        anomalous: true,
        mae: 0.0042,
        mape: 0.061,
        mase: 0.8,
      },
      {
        scope: 'service',
        service: 'shippingservice',
        signal: 'request_rate',
        state: 'ok',
        model: 'ets',
        anomalous: false,
        mae: 1,
        mape: 0.5,
        mase: 1,
      },
    ],
    temperature: 14,
    openThreshold: 20,
    incident: { id: 'inc-1796450000', severity: 'SEV2' },
    rootCause: ['shippingservice', 'frontend', 'checkoutservice', 'cartservice'],
    faults: [delay],
    ...fields,
  };
}

describe('the embedded demo console', () => {
  test('a row per service with state, score, accumulator, latency forecast error, driver and the real fault', () => {
    const lines = formatSidecarStatus(snapshot());
    assert.match(lines[0] ?? '', /cycle 0\.31 s, 29 queries, Prometheus up; services: ok 2; 1 active fault\(s\)/);
    const shipping = lines.find((l) => l.startsWith('shippingservice')) ?? '';
    assert.match(
      shipping,
      /^shippingservice\s+ok\s+autoencoder\s+1\.00! {2}0\.99\s+14\s+4\.2\s+6\.1\s+latency_p95 62%\s+delay:delay-frontend-shipping$/
    );
    const ad = lines.find((l) => l.startsWith('adservice')) ?? '';
    assert.match(
      ad,
      /^adservice\s+warmup\s+autoencoder\s+- {2}\s+-\s+0\s+-\s+-\s*$/,
      'no score is shown as "-", never as 0'
    );
    assert.ok(
      lines.includes('  edge frontend->shippingservice: score 1.00 anomalous, accumulator 14, driven by latency_p95')
    );
    assert.ok(!lines.some((l) => l.includes('frontend->adservice')), 'quiet edges are not listed');
    assert.ok(
      lines.includes(
        '  temperature 14.0 (opens at 20); SEV2 incident inc-1796450000 open, top root cause shippingservice (then frontend, checkoutservice)'
      )
    );
  });

  test('an unreachable Prometheus and no incident are said as such', () => {
    const lines = formatSidecarStatus(
      snapshot({
        status: { lastCycle: { prometheusUp: false, durationSeconds: 4, queries: 29 }, services: { stale: 2 } },
        incident: null,
        rootCause: [],
        temperature: 3,
        faults: [],
      })
    );
    assert.match(lines[0] ?? '', /Prometheus DOWN; services: stale 2; no active fault/);
    assert.equal(lines.at(-1), '  temperature 3.0 (opens at 20); no incident');
  });
});

describe('the run config of the sidecar', () => {
  test('addresses, token and state are filled in, and relative paths of the base file become absolute', () => {
    const base = join(dir, 'base.yaml');
    writeFileSync(
      base,
      'prometheus:\n  url: http://x:9090 # replaced\ndetection:\n  modelDir: models/demo\napi:\n  port: 1\nstorage:\n  stateDir: s\n'
    );
    const text = renderSidecarConfig(
      { prometheusUrl: 'http://127.0.0.1:9', apiPort: 18080, tokenFile: '/t/token', stateDir: '/t/state' },
      base
    );
    const config = parse(text) as Record<string, Record<string, unknown>>;
    assert.equal(config.prometheus?.url, 'http://127.0.0.1:9');
    assert.deepEqual(config.api, { port: 18080, host: '127.0.0.1', tokenFile: '/t/token' });
    assert.equal(config.storage?.stateDir, '/t/state');
    assert.equal(config.detection?.modelDir, join(dir, 'models/demo'));
    assert.match(text, /# replaced/, 'comments are kept');
    assert.ok(readFileSync(base, 'utf8').includes('modelDir: models/demo'), 'the base file is not changed');
  });
});
