import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';

import { startPreviewServer, type PreviewServer } from '../../preview/server/startPreviewServer.js';
import { launchChromium } from './launchChromium.js';
import { DEFAULT_MODEL_DIR, scoreWithSidecar } from './support/scoreWithSidecar.js';
import { startFakeSidecar, type FakeSidecar } from './support/startFakeSidecar.js';
import { syntheticWindow } from './support/syntheticWindow.js';

const TOKEN = 'inspector-test-token';
const END = 1_700_003_600;
const manifest = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'manifest.json'), 'utf8'));
const signals: string[] = manifest.signals.map((s: { name: string }) => s.name);

interface Case {
  service: string;
  /** Baselines the window is drawn around. */
  around: Record<string, { center: number; scale: number }>;
  latencyShift: number;
  learned?: Record<string, { center: number; scale: number }>;
  sidecar?: { score: number; error: number; baselineSource: string | null };
}

const learned = Object.fromEntries(
  Object.entries(manifest.normalisation.default as Record<string, { center: number; scale: number }>).map(([s, b]) => [
    s,
    { center: b.center * 1.1, scale: b.scale * 0.9 },
  ])
);
const cases: Case[] = [
  // A service the model was trained on: its own statistics from the manifest.
  { service: 'synthetic-01', around: manifest.normalisation.per_entity['synthetic-01'], latencyShift: 1 },
  // A service the model never saw: the pooled default statistics.
  { service: 'checkoutservice', around: manifest.normalisation.default, latencyShift: 0.5 },
  // A service the sidecar learned baselines for: they come with the window.
  { service: 'paymentservice', around: learned, latencyShift: 1.5, learned },
];

let sidecar: FakeSidecar;
let server: PreviewServer;
let browser: Browser;

before(async () => {
  const windows = new Map<string, { at: number; body: unknown }>();
  for (const [i, c] of cases.entries()) {
    const { timestamps, raw } = syntheticWindow({
      signals,
      baselines: c.around,
      end: END,
      steps: manifest.window.length,
      stepSeconds: manifest.window.step_seconds,
      seed: 100 + i,
      latencyShift: c.latencyShift,
      shiftSteps: 4,
    });
    const scored = await scoreWithSidecar(
      { entity: c.service, signals, timestamps, raw, stepSeconds: manifest.window.step_seconds },
      DEFAULT_MODEL_DIR,
      c.learned
    );
    c.sidecar = { score: scored.score!, error: scored.error!, baselineSource: scored.baselineSource };
    // The sidecar's own score is left out: the page must compute it, not echo it.
    windows.set(c.service, {
      at: END,
      body: {
        service: c.service,
        modelId: manifest.model_id,
        signals,
        timestamps,
        raw,
        baselineSource: scored.baselineSource,
        ...(c.learned ? { baselines: c.learned } : {}),
      },
    });
  }
  sidecar = await startFakeSidecar({ token: TOKEN, modelDir: DEFAULT_MODEL_DIR, windows });
  server = await startPreviewServer({ sidecar: { url: sidecar.url, token: TOKEN } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await sidecar?.close();
});

async function inspectInBrowser(service: string) {
  const page = await browser.newPage({ viewport: { width: 1300, height: 700 } });
  const problems: string[] = [];
  const urls: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => urls.push(request.url()));
  const options = JSON.stringify({ display: 'inspector', inspectorService: service });
  const query = new URLSearchParams({
    view: 'panels',
    source: 'live',
    panels: 'seismo-forecast-panel',
    options,
    from: String((END - 6 * 3600) * 1000),
    to: String(END * 1000),
  });
  await page.goto(`${server.url}?${query}`);
  const inspector = page.getByTestId('window-inspector');
  await inspector.waitFor();
  await page.waitForFunction(
    () =>
      ['done', 'failed'].includes(
        document.querySelector('[data-testid="window-inspector"]')?.getAttribute('data-phase') ?? ''
      ),
    undefined,
    { timeout: 60_000 }
  );
  const failure = await page.getByTestId('inspector-error').count();
  assert.equal(failure, 0, failure ? await page.getByTestId('inspector-error').innerText() : '');
  const score = Number(await page.getByTestId('inspector-score').getAttribute('data-score'));
  const error = Number(await page.getByTestId('inspector-score').getAttribute('data-error'));
  const text = await inspector.innerText();
  await page.close();
  return { score, error, text, problems, urls };
}

for (const c of cases) {
  test(`the browser scores ${c.service}'s window as the sidecar does, to 1e-4`, async (t) => {
    const browserSide = await inspectInBrowser(c.service);
    t.diagnostic(
      `sidecar ${c.sidecar!.score} (error ${c.sidecar!.error}), browser ${browserSide.score} (error ${browserSide.error})`
    );
    assert.ok(
      Math.abs(browserSide.score - c.sidecar!.score) <= 1e-4,
      `browser ${browserSide.score} vs sidecar ${c.sidecar!.score}`
    );
    assert.ok(
      Math.abs(browserSide.error - c.sidecar!.error) <= 1e-4,
      `raw error ${browserSide.error} vs ${c.sidecar!.error}`
    );
    assert.match(browserSide.text, new RegExp(`${c.sidecar!.baselineSource} baselines`));
    assert.deepEqual(browserSide.problems, []);
  });
}

test('the compared scores lie inside the calibration range, where a wrong step would show', () => {
  assert.ok(
    cases.some((c) => c.sidecar!.score > 0 && c.sidecar!.score < 1),
    `scores: ${cases.map((c) => c.sidecar!.score).join(', ')}`
  );
});

test('the page loads the engine from the plugin and reaches the sidecar only through the proxy, with the token', async () => {
  const { urls } = await inspectInBrowser(cases[0]!.service);
  assert.ok(
    urls.every((url) => url.startsWith(server.url)),
    urls.filter((url) => !url.startsWith(server.url)).join(', ')
  );
  assert.ok(
    urls.some((url) => url.endsWith('/dist/panels/forecast/ort/ort-wasm-simd-threaded.wasm')),
    'wasm not from dist'
  );
  assert.ok(sidecar.requests.length > 0);
  assert.ok(sidecar.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
});
