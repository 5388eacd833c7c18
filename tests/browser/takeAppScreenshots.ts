/**
 * Shows each app page in the preview with the recorded sidecar answers (fixtures/app-pages) and
 * saves PNGs into docs/screenshots/ (not a test; run after `npm run build` and
 * `npm run build:preview`):
 *
 *   node --import tsx tests/browser/takeAppScreenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Page } from 'playwright-core';

import { startPreviewServer } from '../../preview/server/startPreviewServer.js';
import { launchChromium } from './launchChromium.js';
import { closedPort } from './support/closedPort.js';
import { APP_BASE, openAppPage, startAppPreview } from './support/appPreview.js';

const out = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });

interface Shot {
  file: string;
  path: string;
  theme?: 'light' | 'dark';
  /** Waits for the page's content, and interacts where the picture needs it. */
  ready: (page: Page) => Promise<void>;
  /** A preview without a reachable sidecar. */
  unreachable?: boolean;
}

const preview = await startAppPreview();
const incident = preview.recording.openIncident;
const topologyDrawn = (page: Page) =>
  page.waitForSelector('[data-testid="seismo-topology-panel"][data-layout="done"]', { timeout: 60_000 }).then(() => {});

const shots: Shot[] = [
  { file: 'app-overview.png', path: `${APP_BASE}/overview`, ready: topologyDrawn },
  { file: 'app-overview-light.png', path: `${APP_BASE}/overview`, theme: 'light', ready: topologyDrawn },
  {
    file: 'app-services.png',
    path: `${APP_BASE}/services`,
    ready: (page) => page.getByText('11 of 11 monitored').waitFor(),
  },
  {
    file: 'app-incidents.png',
    path: `${APP_BASE}/incidents`,
    ready: (page) => page.getByRole('link', { name: incident }).waitFor(),
  },
  {
    file: 'app-incident.png',
    path: `${APP_BASE}/incidents/${incident}`,
    ready: (page) => page.getByText('Probable root causes').waitFor(),
  },
  {
    file: 'app-incident-light.png',
    path: `${APP_BASE}/incidents/${incident}`,
    theme: 'light',
    ready: (page) => page.getByText('Probable root causes').waitFor(),
  },
  {
    file: 'app-models.png',
    path: `${APP_BASE}/models`,
    ready: async (page) => {
      await page
        .getByRole('row')
        .filter({ hasText: 'seismo-default-synthetic-v1' })
        .getByRole('button')
        .first()
        .click();
      await page.getByText('Threshold (raw error)').waitFor();
    },
  },
  {
    file: 'app-configuration.png',
    path: 'plugins/seismo-aiops-app',
    ready: (page) => page.getByTestId('seismo-datasource-health').waitFor(),
  },
  {
    file: 'app-sidecar-unreachable.png',
    path: `${APP_BASE}/overview`,
    unreachable: true,
    ready: (page) => page.getByTestId('seismo-sidecar-error').first().waitFor(),
  },
];

const unreachable = await startPreviewServer({ sidecar: { url: `http://127.0.0.1:${await closedPort()}` } });
const browser = await launchChromium();
try {
  for (const shot of shots) {
    const base = shot.unreachable ? unreachable.url : preview.server.url;
    const { page } = await openAppPage(browser, base, shot.path, {
      recordedAt: preview.recording.recordedAt,
      ...(shot.theme ? { theme: shot.theme } : {}),
      width: 1440,
      height: 900,
    });
    await shot.ready(page);
    // No hover effect or tooltip in the picture.
    await page.mouse.move(0, 0);
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${out}${shot.file}`, fullPage: true });
    process.stdout.write(`docs/screenshots/${shot.file}\n`);
    await page.close();
  }
} finally {
  await browser.close();
  await unreachable.close();
  await preview.close();
}
