import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { startPreviewServer, type PreviewServer } from '../../preview/server/startPreviewServer.js';
import { launchChromium } from './launchChromium.js';

interface PluginStatus {
  id: string;
  type: string;
  path: string;
  loaded: boolean;
  rendered: boolean;
  error?: string;
}

const appJson = JSON.parse(readFileSync(new URL('../../src/plugin.json', import.meta.url), 'utf8'));
const expectedNested: string[] = appJson.includes
  .filter((include: { type: string }) => include.type === 'datasource' || include.type === 'panel')
  .map(
    (include: { path: string }) =>
      JSON.parse(readFileSync(new URL(`../../src/${include.path}`, import.meta.url), 'utf8')).id
  );

let server: PreviewServer;
let browser: Browser;
let page: Page;
let statuses: PluginStatus[];
const consoleErrors: string[] = [];

before(async () => {
  server = await startPreviewServer();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  await page.goto(server.url);
  await page.waitForFunction(() => window.__seismoPreview?.ready === true, undefined, { timeout: 60_000 });
  statuses = await page.evaluate(() => window.__seismoPreview!.plugins);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

declare global {
  interface Window {
    __seismoPreview?: { ready: boolean; plugins: PluginStatus[] };
  }
}

test('the app and every nested plugin it includes are discovered', () => {
  assert.deepEqual(
    statuses.map((status) => status.id),
    ['seismo-aiops-app', ...expectedNested]
  );
  assert.equal(expectedNested.length, 4);
});

test('every plugin module loads with only the modules Grafana shares, and renders', () => {
  for (const status of statuses) {
    assert.equal(status.error, undefined, `${status.id}: ${status.error}`);
    assert.ok(status.loaded, `${status.id} did not load`);
    assert.ok(status.rendered, `${status.id} did not render`);
  }
});

test('the app root page tells the user to choose a datasource when none is configured', async () => {
  const text = await page.getByTestId('seismo-overview').innerText();
  assert.match(text, /Choose a Seismo datasource/);
});

test('the datasource config editor shows its URL and secret fields', async () => {
  for (const id of ['#config-prometheus-url', '#config-sidecar-url', '#config-sidecar-token']) {
    assert.equal(await page.locator(id).count(), 1, `${id} missing`);
  }
});

test('panels without data explain which frames they expect', async () => {
  const topology = await page.getByTestId('plugin-seismo-topology-panel').innerText();
  assert.match(topology, /No nodes frame/);
});

test('no console errors while loading and rendering', () => {
  assert.deepEqual(consoleErrors, []);
});
