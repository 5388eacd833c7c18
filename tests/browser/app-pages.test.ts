/**
 * The app's pages in the preview host, as Grafana mounts them (root page with its routes, the
 * configuration page, Grafana's theme, router and services), reading the sidecar through the
 * Seismo datasource's routes, which the preview server forwards to a stand-in sidecar answering
 * as the real one did (fixtures/app-pages, recorded from the sidecar's own code).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { startPreviewServer, type PreviewServer } from '../../preview/server/startPreviewServer.js';
import { launchChromium } from './launchChromium.js';
import { closedPort } from './support/closedPort.js';
import {
  APP_BASE,
  type AppPreview,
  loadRecording,
  openAppPage,
  type OpenedPage,
  SIDECAR_TOKEN,
  startAppPreview,
} from './support/appPreview.js';

const recording = loadRecording();
const openIncident = recording.openIncident;
const incidentAnswer = recording.states.initial!.answers[`GET /api/v1/incidents/${openIncident}`]!.body as {
  openedAt: number;
  affectedEntities: string[];
  rule: string;
  rootCause: { candidates: Array<{ service: string; rank: number; summary: string }> };
};

let preview: AppPreview;
let browser: Browser;
/** Problems of every page opened through `open`, checked at the end. */
const problems: string[] = [];
let pagesOpened = 0;

before(async () => {
  preview = await startAppPreview(recording);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await preview?.close();
});

beforeEach(() => preview.sidecar.reset());
afterEach(closePages);

/** Pages opened by the current test, closed after it (their periodic reloads with them). */
const openPages: OpenedPage[] = [];

async function open(path: string, theme?: 'light' | 'dark'): Promise<Page> {
  const opened = await openAppPage(browser, preview.server.url, path, { recordedAt: recording.recordedAt, theme });
  pagesOpened++;
  openPages.push(opened);
  return opened.page;
}

async function closePages(): Promise<void> {
  for (const opened of openPages.splice(0)) {
    problems.push(...opened.problems);
    await opened.page.close();
  }
}

const sidecarCalls = (method = 'GET') =>
  preview.sidecar.requests.filter((r) => r.method === method).map((r) => r.path.replace(/^\/api\/v1\//, ''));

describe('Overview', () => {
  let page: Page;
  let overview: OpenedPage;
  /** What the page asked the sidecar while loading (the requests are reset before each test). */
  let loadCalls: typeof preview.sidecar.requests;
  before(async () => {
    preview.sidecar.reset();
    overview = await openAppPage(browser, preview.server.url, `${APP_BASE}/overview`, {
      recordedAt: recording.recordedAt,
    });
    pagesOpened++;
    page = overview.page;
    await page.waitForSelector('[data-testid="seismo-topology-panel"][data-layout="done"]', { timeout: 60_000 });
    loadCalls = [...preview.sidecar.requests];
  });
  after(async () => {
    problems.push(...overview.problems);
    await page.close();
  });

  test('shows the open incident with its severity and top root cause', async () => {
    const row = page.getByTestId('seismo-overview').getByRole('row').filter({ hasText: openIncident });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /SEV1/);
    assert.match(text, /shippingservice/);
    assert.match(text, /6 min 20 s/, 'open for the time between the opening and the recording');
  });

  test('draws the topology with the faulty service anomalous and ranked first', async () => {
    assert.equal(await page.locator('[data-node-id="shippingservice"]').getAttribute('data-health'), 'anomalous');
    assert.equal(await page.getByTestId('root-cause-item').first().getAttribute('data-service'), 'shippingservice');
  });

  test('renders in the dark theme by default', async () => {
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const channels = background.match(/\d+/g)!.slice(0, 3).map(Number);
    assert.ok(
      channels.every((c) => c < 40),
      `dark canvas, got ${background}`
    );
  });

  test('says how old the last detection cycle is and names the detector without a verdict', async () => {
    const text = await page.getByTestId('seismo-overview').innerText();
    assert.match(text, /Sidecar 1\.0\.0, last cycle 20 s ago/);
    assert.match(text, /redis-cart\s+unknown\s+no data/);
  });

  test('read the sidecar through the datasource routes, always with the token', () => {
    assert.deepEqual(loadCalls.map((r) => `${r.method} ${r.path}`).sort(), [
      'GET /api/v1/edges',
      'GET /api/v1/incidents?state=open',
      'GET /api/v1/services',
      'GET /api/v1/status',
      'GET /api/v1/topology',
    ]);
    assert.ok(loadCalls.every((r) => r.authorization === `Bearer ${SIDECAR_TOKEN}`));
  });
});

describe('Services', () => {
  test('lists every service with its detector state; excluding one sends PUT selection and the list updates', async () => {
    const page = await open(`${APP_BASE}/services`);
    const content = page.getByTestId('seismo-services');
    await content.getByText('11 of 11 monitored').waitFor();
    const row = (service: string) =>
      content.getByRole('row').filter({ has: page.getByRole('link', { name: service }) });
    assert.match(await row('redis-cart').innerText(), /unknown/);
    assert.match(await row('shippingservice').innerText(), /ok\s+autoencoder\s+100 % \/ 100 %/);
    assert.match(await row('adservice').innerText(), /matches include rule 1 \(namespace boutique\)/);

    await page.getByLabel('Monitor adservice').uncheck({ force: true });
    await content.getByText('adservice is no longer monitored').waitFor();
    await content.getByText('10 of 11 monitored').waitFor();

    const puts = preview.sidecar.requests.filter((r) => r.method === 'PUT');
    assert.deepEqual(
      puts.map((r) => ({ path: r.path, body: r.body, authorization: r.authorization })),
      [
        {
          path: '/api/v1/selection',
          body: { include: [], exclude: ['adservice'] },
          authorization: `Bearer ${SIDECAR_TOKEN}`,
        },
      ]
    );
    const adservice = await row('adservice').innerText();
    assert.match(adservice, /override: exclude/);
    assert.match(adservice, /excluded by an override made through the API/);
    assert.match(adservice, /not monitored/);
    assert.equal(await page.getByLabel('Monitor adservice').isChecked(), false);
    // The page read the selection and the services again after the write.
    const afterPut = sidecarCalls().slice(-2).sort();
    assert.deepEqual(afterPut, ['selection', 'services']);
  });
});

describe('Incidents', () => {
  test('lists open and closed incidents; the state filter asks the sidecar for closed ones only', async () => {
    const page = await open(`${APP_BASE}/incidents`);
    const content = page.getByTestId('seismo-incidents');
    await content.getByRole('link', { name: openIncident }).waitFor();
    const rows = await content.getByRole('row').allInnerTexts();
    assert.equal(rows.length, 3, 'a header and two incidents');
    assert.match(rows[1]!, new RegExp(`SEV1\\s+${openIncident}\\s+open[\\s\\S]*shippingservice`));
    assert.match(rows[2]!, /SEV1\s+inc-\d+\s+closed[\s\S]*27 min[\s\S]*paymentservice/);

    await content.getByRole('radio', { name: 'Closed' }).check({ force: true });
    await content.getByRole('link', { name: openIncident }).waitFor({ state: 'detached' });
    // The table is drawn again from the new answer: wait for it rather than the loading state.
    await content.getByRole('row', { name: /closed/ }).waitFor();
    assert.equal((await content.getByRole('row').allInnerTexts()).length, 2);
    assert.ok(sidecarCalls().includes('incidents?state=closed&from=now-24h'));
  });

  test('an incident shows its timeline, the rule that opened it and the root-cause evidence', async () => {
    const page = await open(`${APP_BASE}/incidents`);
    await page.getByRole('link', { name: openIncident }).click();
    const detail = page.getByTestId('seismo-incident');
    await detail.waitFor();
    assert.equal(new URL(page.url()).pathname, `/${APP_BASE}/incidents/${openIncident}`, 'routed without a reload');

    const timeline = detail.getByLabel('Incident temperature', { exact: true });
    await timeline.getByText(/open since/).waitFor();
    assert.match(await timeline.innerText(), /temperature 81/);
    // Accumulators against the thresholds of the evaluation that opened the incident.
    assert.match(await timeline.innerText(), /checkoutservice->shippingservice\s+12 \/ 6/);

    const rule = await detail.getByText('Rule that opened it').locator('..').innerText();
    assert.ok(rule.includes(incidentAnswer.rule), rule);

    const ranking = detail.locator('section').filter({ hasText: 'Probable root causes' });
    const first = await ranking.getByRole('row').nth(1).innerText();
    const top = incidentAnswer.rootCause.candidates.find((c) => c.rank === 1)!;
    assert.equal(top.service, 'shippingservice');
    assert.match(first, /^1\s+shippingservice\s+58\.16×\s+symptom/);
    assert.ok(first.includes(top.summary), 'the ranking evidence in words');
  });

  test('"False positive" sends one feedback per affected entity over the incident window', async () => {
    const page = await open(`${APP_BASE}/incidents/${openIncident}`);
    const detail = page.getByTestId('seismo-incident');
    await detail.getByRole('button', { name: 'False positive' }).click();
    await detail.getByText(`Stored for ${incidentAnswer.affectedEntities.length} affected entities.`).waitFor();

    const posts = preview.sidecar.requests.filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => r.body),
      incidentAnswer.affectedEntities.map((entity) => ({
        kind: 'false_positive',
        scope: entity.includes('->') ? 'edge' : 'service',
        entity,
        from: incidentAnswer.openedAt,
        to: recording.recordedAt,
        incidentId: openIncident,
      }))
    );
    assert.ok(posts.every((r) => r.path === '/api/v1/feedback' && r.authorization === `Bearer ${SIDECAR_TOKEN}`));
    // The incident, read again, lists the stored feedback.
    const feedback = detail.locator('section').filter({ hasText: 'Feedback' }).getByRole('row');
    await feedback.nth(incidentAnswer.affectedEntities.length).waitFor();
    assert.match(await feedback.nth(1).innerText(), /false positive\s+checkoutservice->shippingservice/);
  });
});

describe('Models and configuration', () => {
  test('Models shows the loaded model and, expanded, its calibration', async () => {
    const page = await open(`${APP_BASE}/models`);
    const content = page.getByTestId('seismo-models');
    const row = content.getByRole('row').filter({ hasText: 'seismo-default-synthetic-v1' });
    await row.waitFor();
    assert.match(await row.innerText(), /conv1d_autoencoder\s+shared by all services\s+60 × 60 s\s+12/);
    await row.getByRole('button').first().click();
    const calibration = content
      .locator('div')
      .filter({ has: page.getByRole('heading', { name: 'Calibration' }) })
      .last();
    await calibration.getByText('Threshold (raw error)').waitFor();
    const text = await calibration.innerText();
    assert.match(text, /Calibrated on\s+calibration windows at the end of the training period/);
    assert.match(text, /Threshold \(raw error\)\s+1\.782/);
    assert.match(await content.innerText(), /10 targets: 10 ok/);
  });

  test('Configuration shows the datasource health from the sidecar', async () => {
    const page = await open(`plugins/seismo-aiops-app`);
    const health = page.getByTestId('seismo-datasource-health');
    await health.waitFor();
    const text = await health.innerText();
    assert.match(text, /The datasource is healthy/);
    assert.match(text, /token accepted; last detection cycle 20s ago, services: 10 ok, 1 unknown/);
    assert.deepEqual(sidecarCalls(), ['/healthz', 'status']);
  });
});

test('with no datasource chosen, the pages read the only Seismo one; the configuration page saves the choice', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // A fresh app: Grafana stores no datasource in its settings until one is saved.
  await context.addInitScript(() => {
    if (!sessionStorage.getItem('seismo-preview-settings:seismo-aiops-app')) {
      sessionStorage.setItem('seismo-preview-settings:seismo-aiops-app', JSON.stringify({ jsonData: {} }));
    }
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(recording.recordedAt * 1000);
  const seen: string[] = [];
  page.on('console', (message) => message.type() === 'error' && seen.push(message.text()));
  try {
    await page.goto(`${preview.server.url}${APP_BASE}/overview`);
    const overview = page.getByTestId('seismo-overview');
    await overview.getByText('Reading the only Seismo datasource (seismo)').waitFor();
    await overview.getByRole('link', { name: openIncident }).waitFor();

    await page.getByRole('link', { name: 'Configuration' }).click();
    assert.equal(await page.getByTestId('seismo-datasource-health').count(), 0, 'no datasource chosen yet');
    await page.getByRole('combobox').click();
    await page.getByRole('option', { name: /Seismo/ }).click();
    await page.getByTestId('seismo-datasource-health').getByText('The datasource is healthy').waitFor();
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save' }).click()]);
    await page.getByTestId('seismo-datasource-health').waitFor();
    const stored = await page.evaluate(() => sessionStorage.getItem('seismo-preview-settings:seismo-aiops-app'));
    assert.deepEqual(JSON.parse(stored!).jsonData, { datasourceUid: 'seismo' });

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('seismo-overview').getByRole('link', { name: openIncident }).waitFor();
    assert.equal(await page.getByText('Reading the only Seismo datasource').count(), 0);
    assert.deepEqual(seen, []);
  } finally {
    await context.close();
  }
});

describe('a sidecar that does not answer', () => {
  let unreachable: PreviewServer;
  before(async () => {
    unreachable = await startPreviewServer({ sidecar: { url: `http://127.0.0.1:${await closedPort()}` } });
  });
  after(async () => unreachable?.close());

  test('the pages show the error with what to do about it', async () => {
    const { page, problems } = await openAppPage(browser, unreachable.url, `${APP_BASE}/overview`, {
      recordedAt: recording.recordedAt,
    });
    const alert = page.getByTestId('seismo-sidecar-error').first();
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /The Seismo sidecar is unreachable/);
    assert.match(text, /the sidecar is unreachable at http:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED/);
    assert.match(text, /Check that the sidecar is running/);
    assert.ok(await alert.getByRole('link', { name: 'Open datasource settings' }).isVisible());
    // The failed requests are the only problems: the browser reports each 502.
    assert.ok(problems.length > 0);
    assert.ok(
      problems.every((p) => /502/.test(p) && /\/api\/datasources\/uid\/seismo\/resources\/sidecar\//.test(p)),
      problems.join('\n')
    );
    await page.close();
  });

  test('the configuration page reports the datasource as not healthy', async () => {
    const { page } = await openAppPage(browser, unreachable.url, 'plugins/seismo-aiops-app', {
      recordedAt: recording.recordedAt,
    });
    const health = page.getByTestId('seismo-datasource-health');
    await health.getByText('The datasource is not healthy').waitFor();
    assert.match(await health.innerText(), /Sidecar: the sidecar is unreachable at http:\/\/127\.0\.0\.1:\d+/);
    await page.close();
  });
});

test('light theme: the pages render with Grafana light colours', async () => {
  const page = await open(`${APP_BASE}/incidents`, 'light');
  await page.getByTestId('seismo-incidents').getByRole('link', { name: openIncident }).waitFor();
  const lightCanvas = async () => {
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    return background
      .match(/\d+/g)!
      .slice(0, 3)
      .every((c) => Number(c) > 240);
  };
  assert.ok(await lightCanvas());
  // The theme stays when the app navigates, as a user's preference does.
  await page.getByRole('link', { name: openIncident }).click();
  await page.getByTestId('seismo-incident').waitFor();
  assert.ok(await lightCanvas());
});

test('no console errors, page errors or failed requests on any page', () => {
  assert.ok(pagesOpened >= 8, `${pagesOpened} pages opened`);
  assert.deepEqual(problems, []);
});
