/**
 * The preview against a sidecar's API (a stand-in answering with the recorded delay-one-edge
 * frames): the page reaches it only through the preview server's proxy, with the token, and the
 * topology panel shows the faulted service first. Pointing the same page at a running sidecar
 * (`preview/server/cli.ts --sidecar URL`) shows live data the same way.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';

import { startPreviewServer, type PreviewServer } from '../../preview/server/startPreviewServer.js';
import { launchChromium } from './launchChromium.js';
import { DEFAULT_MODEL_DIR } from './support/scoreWithSidecar.js';
import { startFakeSidecar, type FakeSidecar } from './support/startFakeSidecar.js';

const TOKEN = 'live-preview-token';
const recorded = (file: string) =>
  JSON.parse(readFileSync(new URL(`fixtures/delay-one-edge/${file}.json`, import.meta.url), 'utf8'));

let sidecar: FakeSidecar;
let server: PreviewServer;
let browser: Browser;

before(async () => {
  sidecar = await startFakeSidecar({
    token: TOKEN,
    modelDir: DEFAULT_MODEL_DIR,
    windows: new Map(),
    routes: new Map<string, unknown>([
      ['topology', recorded('topology')],
      ['rootcause', recorded('rootcause')],
      ['evaluations', recorded('tolerated')],
    ]),
  });
  server = await startPreviewServer({ sidecar: { url: sidecar.url, token: TOKEN } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await sidecar?.close();
});

test('live: the topology from the sidecar ranks the faulted service first and draws it anomalous', async () => {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await page.goto(`${server.url}?view=panels&source=live&panels=seismo-topology-panel`);
  await page.waitForSelector('[data-testid="seismo-topology-panel"][data-layout="done"]', { timeout: 60_000 });
  assert.equal(await page.getByTestId('root-cause-item').first().getAttribute('data-service'), 'shippingservice');
  assert.equal(await page.locator('[data-node-id="shippingservice"]').getAttribute('data-health'), 'anomalous');
  assert.ok(sidecar.requests.some((r) => r.path.startsWith('/api/v1/topology')));
  assert.ok(sidecar.requests.some((r) => r.path === '/api/v1/rootcause?format=frames'));
  assert.ok(sidecar.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
  assert.deepEqual(problems, []);
  await page.close();
});

test('live: without Prometheus the temperature panel says why its history is missing', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}?view=panels&source=live&panels=seismo-temperature-panel`);
  await page.waitForFunction(() => window.__seismoPreview?.ready === true, undefined, { timeout: 60_000 });
  assert.match(await page.getByRole('status').innerText(), /No temperature history: .*--prometheus/);
  assert.match(await page.getByTestId('tolerated').innerText(), /cartservice/);
  await page.close();
});
