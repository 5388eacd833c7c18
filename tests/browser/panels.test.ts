import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';

import { startPreviewServer, type PreviewServer } from '../../preview/server/startPreviewServer.js';
import { launchChromium } from './launchChromium.js';

/** Colours of the Seismo scheme, dark theme (src/panels/topology/healthPalette.ts). */
const ANOMALOUS = '#F2495C';
const HEALTHY = '#56A64B';
const UNKNOWN = '#7B7F87';

let server: PreviewServer;
let browser: Browser;

before(async () => {
  server = await startPreviewServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

interface Opened {
  page: Page;
  problems: string[];
}

/** The preview with the recorded delay-one-edge frames; collects console errors. */
async function open(params: Record<string, string>): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${server.url}?${new URLSearchParams({ view: 'panels', set: 'delay-one-edge', ...params })}`);
  await page.waitForFunction(() => window.__seismoPreview?.ready === true, undefined, { timeout: 60_000 });
  const plugins = await page.evaluate(() => window.__seismoPreview!.plugins);
  for (const plugin of plugins) {
    assert.ok(plugin.rendered, `${plugin.id}: ${plugin.error}`);
  }
  return { page, problems };
}

async function laidOut(page: Page) {
  await page.waitForSelector('[data-testid="seismo-topology-panel"][data-layout="done"]', { timeout: 30_000 });
}

const health = (page: Page, id: string) => page.locator(`[data-node-id="${id}"]`).getAttribute('data-health');
const ring = (page: Page, id: string) =>
  page.locator(`[data-node-id="${id}"] > circle[stroke]`).first().getAttribute('stroke');
const shown = (page: Page) =>
  page.locator('[data-node-id]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node-id')!).sort());

describe('topology panel (SVG)', () => {
  let opened: Opened;
  before(async () => {
    opened = await open({ panels: 'seismo-topology-panel' });
    await laidOut(opened.page);
  });
  after(() => opened.page.close());

  test('the faulted service is drawn in the anomalous colour and ranked first', async () => {
    const { page } = opened;
    assert.equal(await health(page, 'shippingservice'), 'anomalous');
    assert.equal(await ring(page, 'shippingservice'), ANOMALOUS);
    const first = page.getByTestId('root-cause-item').first();
    assert.equal(await first.getAttribute('data-service'), 'shippingservice');
    assert.match(await first.innerText(), /#1 shippingservice/);
  });

  test('an unknown service is not green', async () => {
    const { page } = opened;
    assert.equal(await health(page, 'redis-cart'), 'unknown');
    assert.equal(await ring(page, 'redis-cart'), UNKNOWN);
    assert.notEqual(await ring(page, 'redis-cart'), HEALTHY);
    assert.equal(await health(page, 'emailservice'), 'warmup');
    assert.notEqual(await ring(page, 'emailservice'), HEALTHY);
  });

  test('clicking the faulted service highlights its blast radius: every caller up to the entry point', async () => {
    const { page } = opened;
    const box = (await page.locator('[data-node-id="shippingservice"] > circle').nth(1).boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    assert.equal(await page.locator('[data-node-id="shippingservice"]').getAttribute('data-selected'), 'true');
    assert.match(
      await page.getByTestId('blast-radius-summary').innerText(),
      /frontend, checkoutservice, loadgenerator/
    );
    for (const id of ['shippingservice', 'frontend', 'checkoutservice', 'loadgenerator']) {
      assert.equal(await page.locator(`[data-node-id="${id}"]`).getAttribute('data-dim'), 'false', id);
    }
    for (const id of ['paymentservice', 'cartservice', 'redis-cart']) {
      assert.equal(await page.locator(`[data-node-id="${id}"]`).getAttribute('data-dim'), 'true', id);
    }
    assert.equal(
      await page.locator('[data-edge-id="frontend->shippingservice"]').getAttribute('data-highlighted'),
      'true'
    );
    assert.equal(
      await page.locator('[data-edge-id="checkoutservice->shippingservice"]').getAttribute('data-highlighted'),
      'true'
    );
    assert.equal(
      await page.locator('[data-edge-id="checkoutservice->paymentservice"]').getAttribute('data-highlighted'),
      null
    );
  });

  test('the k-hop filter keeps the anomalous services and their neighbours, and hides the rest', async () => {
    const { page } = opened;
    await page.getByLabel('Anomalous only').check({ force: true });
    await page.waitForFunction(() => document.querySelectorAll('[data-node-id]').length < 12);
    const oneHop = await shown(page);
    assert.ok(oneHop.includes('checkoutservice') && oneHop.includes('loadgenerator'), oneHop.join());
    for (const hidden of ['redis-cart', 'paymentservice', 'emailservice']) {
      assert.ok(!oneHop.includes(hidden), `${hidden} should be hidden at one hop`);
    }
    await page.getByRole('radio', { name: '0' }).check({ force: true });
    await page.waitForFunction(() => document.querySelectorAll('[data-node-id]').length === 2);
    assert.deepEqual(await shown(page), ['frontend', 'shippingservice']);
  });

  test('no console errors', () => {
    assert.deepEqual(opened.problems, []);
  });
});

describe('topology panel (canvas)', () => {
  test('draws the faulted service in the anomalous colour on the canvas too', async () => {
    const { page, problems } = await open({
      panels: 'seismo-topology-panel',
      options: JSON.stringify({ renderer: 'canvas' }),
    });
    await laidOut(page);
    assert.equal(await page.getByTestId('topology-surface').getAttribute('data-renderer'), 'canvas');
    // Searching and pressing Enter centres the view on the service.
    await page.getByLabel('Search services').fill('shippingservice');
    await page.getByLabel('Search services').press('Enter');
    await page.waitForTimeout(300);
    const found = await page.getByTestId('topology-canvas').evaluate((canvas: HTMLCanvasElement, target: string) => {
      const ctx = canvas.getContext('2d')!;
      const cx = Math.round(canvas.width / 2);
      const cy = Math.round(canvas.height / 2);
      const want = [1, 3, 5].map((i) => parseInt(target.slice(i, i + 2), 16));
      for (let dx = 0; dx < 60; dx++) {
        const [r, g, b] = ctx.getImageData(cx + dx, cy, 1, 1).data;
        if (Math.abs(r! - want[0]!) + Math.abs(g! - want[1]!) + Math.abs(b! - want[2]!) < 30) {
          return dx;
        }
      }
      return -1;
    }, ANOMALOUS);
    assert.ok(found >= 0, 'no pixel in the anomalous colour on the ring of the centred service');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('incident temperature panel', () => {
  test('shows SEV2 for the single-edge delay, the edge over its threshold and why spikes were tolerated', async () => {
    const { page, problems } = await open({ panels: 'seismo-temperature-panel' });
    assert.equal(await page.getByTestId('severity-badge').innerText(), 'SEV2');
    assert.equal(
      await page
        .locator('[data-testid="accumulators"] tr[data-entity="frontend->shippingservice"]')
        .getAttribute('data-over'),
      'true'
    );
    assert.equal(await page.locator('[data-testid="temperature-chart"] [data-severity="SEV2"]').count(), 1);
    assert.match(
      await page.getByTestId('tolerated').innerText(),
      /cartservice[\s\S]*leaked back to 0 after 2 normal intervals \(peak 4\.0\)/
    );
    assert.deepEqual(problems, []);
    await page.close();
  });
});

describe('forecast panel', () => {
  test('shows gaps as gaps, anomalies marked and the accuracy', async () => {
    const { page, problems } = await open({ panels: 'seismo-forecast-panel' });
    const segments = async (testId: string) =>
      ((await page.getByTestId(testId).getAttribute('d')) ?? '').split('M').filter(Boolean).length;
    // The recorded two-minute scrape gap splits the actual line, the forecaster's pause the forecast.
    assert.equal(await segments('forecast-actual'), 2);
    assert.equal(await segments('forecast-yhat'), 2);
    assert.ok((await page.getByTestId('forecast-anomaly').count()) > 0);
    assert.match(await page.getByTestId('forecast-accuracy').innerText(), /MAE[\s\S]*MAPE[\s\S]*MASE[\s\S]*trust/);
    await page.getByLabel('Target').click();
    await page.getByText('frontend · latency_p95', { exact: true }).click();
    assert.match((await page.getByTestId('forecast-chart').getAttribute('aria-label')) ?? '', /frontend · latency_p95/);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
