/**
 * The panels and the app's pages in the preview host on live data from the real stack
 * (startDatasourceStack: the demo mesh under load with a delay injected on one call edge, a real
 * Prometheus and the sidecar process): the preview server proxies the sidecar and Prometheus as
 * the datasource does, and every expectation is read from the fault's ground truth, the sidecar's
 * API or Prometheus, never from a recording.
 *
 * The fault's incident stays open for about a minute before the detectors adapt to the new level,
 * and its ranking is final half a minute after it opened: the pages that show the present
 * (Overview, Incidents) are read as soon as the ranking is final, and the panels are pinned to a
 * moment at which the incident was open (`to`, `incident`), which the sidecar and Prometheus keep.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import { pollUntil, PrometheusClient, resolvePrometheusBinary } from '../../demo/src/prometheus/index.js';
import { startPreviewServer, type PreviewServer } from '../../preview/server/startPreviewServer.js';
import { startDatasourceStack, type DatasourceStack } from '../integration/support/startDatasourceStack.js';
import { launchChromium } from './launchChromium.js';
import { APP_BASE, openAppPage, type OpenedPage } from './support/appPreview.js';
import { parseDisplayedValue } from './support/parseDisplayedValue.js';
import { readLatestForecastActual } from './support/readLatestForecastActual.js';
import { readSidecarJson, type SidecarApi } from './support/readSidecarJson.js';
import { readTableRow } from './support/readTableRow.js';

interface Ranking {
  incidentId: string | null;
  /** Whether the ranking has seen its whole window and stays as it is. */
  final: boolean;
  candidates: Array<{ service: string; rank: number }>;
}

interface IncidentRecord {
  id: string;
  state: string;
  openedAt: number;
  closedAt: number | null;
  affectedEntities: string[];
}

interface ForecastTargetStatus {
  scope: string;
  service?: string;
  signal: string;
}

async function skipReason(): Promise<string | false> {
  try {
    await resolvePrometheusBinary();
  } catch {
    return 'the prometheus binary is not installed';
  }
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(chromium) ? false : `Chromium is not installed at ${chromium}`;
}

const log = (line: string) => console.log(`live stack: ${line}`);

describe('the preview on live data from the real stack', { skip: await skipReason() }, () => {
  let stack: DatasourceStack | undefined;
  let browser: Browser | undefined;
  let server: PreviewServer | undefined;
  let sidecar: SidecarApi;
  let prometheus: PrometheusClient;
  /** The faulted call edge (`client->server`). */
  let faultedEdge: string;
  /** The service the sidecar's final ranking puts first: every page must show it first. */
  let rankedFirst: string;
  /** When the stack was ready (epoch ms). */
  let readyAt: number;
  /** A moment at which the incident was open (Unix seconds), for the pinned panels. */
  let pinnedAt: number;
  /** Every page opened, for the check for problems at the end. */
  const opened: OpenedPage[] = [];

  const open = async (path: string) => {
    const page = await openAppPage(browser!, server!.url, path);
    opened.push(page);
    return page.page;
  };

  /** Says when the incident closed, for an assertion that expected it open. */
  const closedNote = async () => {
    const record = await readSidecarJson<IncidentRecord>(sidecar, `incidents/${stack!.incidentId}`);
    return record.closedAt === null
      ? `${record.id} is ${record.state}`
      : `${record.id} closed ${Math.round(record.closedAt - readyAt / 1000)} s after the stack was ready`;
  };

  before(
    async () => {
      const started = Date.now();
      // The browser starts while the stack warms up; each is kept for `after` even if the other fails.
      const [stackStart, browserStart] = await Promise.allSettled([
        startDatasourceStack({ log, loadSeconds: 300 }),
        launchChromium(),
      ]);
      stack = stackStart.status === 'fulfilled' ? stackStart.value : undefined;
      browser = browserStart.status === 'fulfilled' ? browserStart.value : undefined;
      if (stackStart.status === 'rejected') {
        throw stackStart.reason;
      }
      if (browserStart.status === 'rejected') {
        throw browserStart.reason;
      }
      readyAt = Date.now();
      // Prometheus held the open incident a few seconds before the stack resolved.
      pinnedAt = Math.floor(readyAt / 1000) - 2;
      sidecar = { url: stack!.sidecarUrl, token: stack!.sidecarToken };
      prometheus = new PrometheusClient(stack!.prometheusUrl);
      faultedEdge = `${stack!.faultedEdge.client}->${stack!.faultedEdge.server}`;
      server = await startPreviewServer({
        sidecar: { url: stack!.sidecarUrl, token: stack!.sidecarToken },
        prometheus: { url: stack!.prometheusUrl },
      });
      log(
        `ready after ${Math.round((readyAt - started) / 1000)} s; incident ${stack!.incidentId}, fault on ${faultedEdge}`
      );
      // The sidecar ranks an open incident again each cycle until its window is complete; every page
      // read from here on must show that final ranking.
      const final = await pollUntil(
        `the ranking of ${stack!.incidentId} to be final`,
        async () => {
          const ranking = await readSidecarJson<Ranking>(sidecar, `rootcause?incidentId=${stack!.incidentId}`);
          return ranking.final ? { done: true, value: ranking } : { done: false, state: 'not final' };
        },
        { timeoutMs: 60_000, intervalMs: 1000 }
      );
      rankedFirst = [...final.candidates].sort((a, b) => a.rank - b.rank)[0]?.service ?? '';
      log(`ranking final ${Math.round((Date.now() - readyAt) / 1000)} s later, first: ${rankedFirst}`);
    },
    { timeout: 270_000 }
  );

  after(async () => {
    const stops = await Promise.allSettled([browser?.close(), server?.close()]);
    stops.push(...(await Promise.allSettled([stack?.stop()])));
    for (const stop of stops) {
      if (stop.status === 'rejected') {
        log(`while stopping: ${String(stop.reason)}`);
      }
    }
  });

  test("the sidecar's final ranking puts one end of the faulted call edge first", () => {
    // The delay is on the call: the caller sees it in its own latency, the callee only through the edge.
    const ends = [stack!.faultedEdge.server, stack!.faultedEdge.client];
    assert.ok(ends.includes(rankedFirst), `${rankedFirst} is ranked first, not ${ends.join(' or ')}`);
  });

  describe('the app pages while the incident is open', () => {
    let overview: Page;
    let incidents: Page;
    before(async () => {
      [overview, incidents] = await Promise.all([open(`${APP_BASE}/overview`), open(`${APP_BASE}/incidents`)]);
    });

    test("Overview lists the open incident with its severity and the sidecar's top-ranked service", async () => {
      const content = overview.getByTestId('seismo-overview');
      const heading = overview.getByRole('heading', { name: 'Open incidents' });
      await heading.waitFor({ timeout: 30_000 });
      const row = await readTableRow(content.locator('section').filter({ has: heading }), stack!.incidentId);
      assert.ok(row, `the open incidents list ${stack!.incidentId}; ${await closedNote()}`);
      assert.match(row['Severity']!, /^SEV[12]$/);
      assert.equal(row['Top root cause'], rankedFirst);
      assert.ok(row['Affected']!.split(', ').includes(faultedEdge), `affected: ${row['Affected']}`);
      assert.match(await content.innerText(), /Sidecar \S+, last cycle \d+ s ago/);
    });

    test("Overview's topology draws every mesh service and lists the top-ranked service first", async () => {
      const panel = overview.locator('[data-testid="seismo-topology-panel"][data-layout="done"]');
      await panel.waitFor({ timeout: 30_000 });
      for (const service of stack!.services) {
        assert.equal(await panel.locator(`[data-node-id="${service}"]`).count(), 1, `${service} is drawn`);
      }
      assert.equal(await panel.getByTestId('root-cause-item').first().getAttribute('data-service'), rankedFirst);
    });

    test("Incidents lists the incident as open with the sidecar's top-ranked service", async () => {
      const content = incidents.getByTestId('seismo-incidents');
      await content.getByRole('link', { name: stack!.incidentId }).waitFor({ timeout: 30_000 });
      const row = await readTableRow(content, stack!.incidentId);
      assert.ok(row, `a row for ${stack!.incidentId}`);
      assert.match(row['Severity']!, /^SEV[12]$/);
      assert.equal(row['State'], 'open', await closedNote());
      assert.equal(row['Top root cause'], rankedFirst);
    });
  });

  describe('the panels at a moment the incident was open', () => {
    let page: Page;
    let ranking: Ranking;
    /** Prometheus at the pinned moment. */
    const held = { severity: '', temperature: Number.NaN, accumulator: Number.NaN, threshold: Number.NaN };

    before(async () => {
      const at = async (expr: string) => {
        const samples = await prometheus.queryVector(expr, pinnedAt);
        assert.equal(samples.length, 1, `${expr} at ${pinnedAt}: ${JSON.stringify(samples)}`);
        return samples[0]!;
      };
      const entity = `entity="${faultedEdge}"`;
      held.severity = (await at(`seismo_incident_open{incident_id="${stack!.incidentId}"}`)).metric.severity ?? '';
      held.temperature = (await at('sum(seismo_incident_temperature)')).value;
      held.accumulator = (await at(`max(seismo_incident_accumulator{${entity}})`)).value;
      held.threshold = (await at(`max(seismo_incident_entity_threshold{${entity}})`)).value;
      ranking = await readSidecarJson<Ranking>(sidecar, `rootcause?incidentId=${stack!.incidentId}`);
      // An hour up to the pinned moment: a multiple of the 15-s step, so the last point is that moment.
      const to = pinnedAt * 1000;
      page = await open(
        `?${new URLSearchParams({
          view: 'panels',
          source: 'live',
          panels: 'seismo-topology-panel,seismo-temperature-panel',
          from: String(to - 3_600_000),
          to: String(to),
          incident: stack!.incidentId,
        })}`
      );
      const plugins = await page.evaluate(() => window.__seismoPreview!.plugins);
      for (const plugin of plugins) {
        assert.ok(plugin.rendered, `${plugin.id}: ${plugin.error}`);
      }
      await page.waitForSelector('[data-testid="seismo-topology-panel"][data-layout="done"]', { timeout: 30_000 });
    });

    test('the topology draws every mesh service and the faulted call edge anomalous', async () => {
      for (const service of stack!.services) {
        assert.equal(await page.locator(`[data-node-id="${service}"]`).count(), 1, `${service} is drawn`);
      }
      assert.equal(await page.locator(`[data-edge-id="${faultedEdge}"]`).getAttribute('data-health'), 'anomalous');
    });

    test("the root-cause list is the incident's final ranking, in its order", async () => {
      const listed = await page
        .getByTestId('root-cause-item')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-service')));
      const expected = [...ranking.candidates].sort((a, b) => a.rank - b.rank).map((c) => c.service);
      assert.deepEqual(listed, expected);
    });

    test("the temperature panel shows the open incident's temperature and severity from Prometheus", async () => {
      assert.match(held.severity, /^SEV[12]$/);
      assert.ok(held.temperature > 0, `temperature ${held.temperature}`);
      assert.equal(await page.getByTestId('severity-badge').getAttribute('data-severity'), held.severity);
      const shown = /temperature (\S+)/.exec(await page.getByTestId('current-temperature').innerText());
      assert.equal(Number(shown?.[1]), held.temperature);
    });

    test("the temperature panel lists the faulted edge's accumulator as Prometheus held it", async () => {
      assert.ok(held.accumulator > 0, `the faulted edge's accumulator is ${held.accumulator}`);
      const row = page.locator(`[data-testid="accumulators"] tr[data-entity="${faultedEdge}"]`);
      assert.match(await row.innerText(), new RegExp(`\\b${held.accumulator} / ${held.threshold}\\b`));
      assert.equal(await row.getAttribute('data-over'), String(held.accumulator >= held.threshold));
    });
  });

  describe('the forecast panel', () => {
    test('draws a forecast target of the sidecar with the actuals it exported to Prometheus', async (t) => {
      const loadStart = Date.now();
      // Five minutes up to a minute ahead: the recent actuals and the start of the forecast path.
      const page = await open(
        `?${new URLSearchParams({
          view: 'panels',
          source: 'live',
          panels: 'seismo-forecast-panel',
          from: String(loadStart - 300_000),
          to: String(loadStart + 60_000),
        })}`
      );
      const loadEnd = Date.now();
      const label = (await page.getByTestId('forecast-chart').getAttribute('aria-label')) ?? '';
      const shown = /^Actual and forecast of (\S+) · (\S+)$/.exec(label);
      assert.ok(shown, label);
      const [, service, signal] = shown;
      const { targets } = await readSidecarJson<{ targets: ForecastTargetStatus[] }>(sidecar, 'forecasts');
      assert.ok(
        targets.some((t) => t.scope === 'service' && t.service === service && t.signal === signal),
        `${service} · ${signal} is one of the sidecar's targets`
      );
      const points = ((await page.getByTestId('forecast-actual').getAttribute('d')) ?? '').split(/[ML]/).length - 1;
      assert.ok(points >= 10, `${points} actuals drawn`);

      const latest = await readLatestForecastActual(page);
      const displayed = parseDisplayedValue(latest);
      // The gauge holds the actual the forecaster judged last, scraped every second.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, loadEnd + 3_000 - Date.now())));
      const series = `seismo_forecast_actual{scope="service",service="${service}",signal="${signal}"}`;
      const result = await prometheus.query(`${series}[2m]`);
      assert.equal(result.resultType, 'matrix');
      const exported = (result.resultType === 'matrix' ? result.result : [])
        .flatMap((s) => s.values)
        .filter((s) => s.time >= loadStart / 1000 - 15 && s.time <= loadEnd / 1000 + 3)
        .map((s) => s.value);
      t.diagnostic(`${service} · ${signal}: latest actual shown ${latest}; Prometheus held ${exported.join(', ')}`);
      assert.ok(exported.length > 0, `${series} has samples while the page loaded`);
      assert.ok(
        exported.some((v) => Math.abs(v - displayed.value) <= displayed.tolerance + 1e-12),
        `the latest actual shown, ${displayed.value}, is one Prometheus held: ${exported.join(', ')}`
      );
    });
  });

  describe('the incident and the services', () => {
    test("the incident's page shows its affected entities and its ranking", async () => {
      const page = await open(`${APP_BASE}/incidents/${stack!.incidentId}`);
      const detail = page.getByTestId('seismo-incident');
      const ranked = detail.locator('section').filter({ hasText: 'Probable root causes' }).getByRole('row');
      await ranked.nth(1).waitFor({ timeout: 30_000 });
      const affected = (await detail.getByText(/^Affected: /).innerText()).slice('Affected: '.length).split(', ');
      const shownRanking = (await ranked.allInnerTexts()).slice(1).map((row) => row.split('\t'));
      // Read after the page: an open incident's affected entities only grow.
      const record = await readSidecarJson<IncidentRecord>(sidecar, `incidents/${stack!.incidentId}`);
      const ranking = await readSidecarJson<Ranking>(sidecar, `rootcause?incidentId=${stack!.incidentId}`);
      assert.ok(affected.includes(faultedEdge), `affected: ${affected.join(', ')}`);
      for (const entity of affected) {
        assert.ok(record.affectedEntities.includes(entity), `the sidecar lists ${entity} as affected`);
      }
      assert.deepEqual(
        shownRanking.map(([rank, service]) => `${rank} ${service}`),
        [...ranking.candidates].sort((a, b) => a.rank - b.rank).map((c) => `${c.rank} ${c.service}`)
      );
      assert.equal(shownRanking[0]?.[1], rankedFirst);
    });

    test('Services lists every service the sidecar monitors with its detector', async () => {
      const page = await open(`${APP_BASE}/services`);
      const content = page.getByTestId('seismo-services');
      const { services } = await readSidecarJson<{
        services: Array<{ service: string; state: string; detector: string }>;
      }>(sidecar, 'services');
      await content.getByText(`${services.length} of ${services.length} monitored`).waitFor({ timeout: 30_000 });
      const row = (service: string) =>
        content.getByRole('row').filter({ has: page.getByRole('link', { name: service, exact: true }) });
      for (const { service } of services) {
        assert.equal(await row(service).count(), 1, `${service} has a row`);
      }
      for (const end of [stack!.faultedEdge.client, stack!.faultedEdge.server]) {
        const status = services.find((s) => s.service === end);
        assert.ok(status, `the sidecar monitors ${end}`);
        assert.match(await row(end).innerText(), new RegExp(`${status.state}\\s+${status.detector}`));
      }
    });
  });

  test('no console errors, page errors or failed requests on any page', () => {
    assert.ok(opened.length >= 6, `${opened.length} pages opened`);
    assert.deepEqual(
      opened.flatMap((page) => page.problems),
      []
    );
  });
});
