/**
 * Renders each panel in the preview with the recorded delay-one-edge frames and saves PNGs into
 * docs/screenshots/ (not a test; run after `npm run build` and `npm run build:preview`):
 *
 *   node --import tsx tests/browser/takeScreenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Page } from 'playwright-core';

import { startPreviewServer } from '../../preview/server/startPreviewServer.js';
import { launchChromium } from './launchChromium.js';

const out = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });

interface Shot {
  file: string;
  params: Record<string, string>;
  panel: string;
  /** Interaction before the picture. */
  prepare?: (page: Page) => Promise<void>;
}

const selectTopRootCause = async (page: Page) => {
  await page.getByTestId('root-cause-item').first().click();
};

const shots: Shot[] = [
  { file: 'topology-dark.png', panel: 'seismo-topology-panel', params: {}, prepare: selectTopRootCause },
  {
    file: 'topology-light-colorblind.png',
    panel: 'seismo-topology-panel',
    params: { theme: 'light', options: JSON.stringify({ colorScheme: 'colorblind' }) },
    prepare: selectTopRootCause,
  },
  {
    file: 'topology-layered.png',
    panel: 'seismo-topology-panel',
    params: { options: JSON.stringify({ layout: 'layered' }) },
  },
  {
    file: 'topology-2000-canvas.png',
    panel: 'seismo-topology-panel',
    params: { view: 'bench', nodes: '2000', edgesPerNode: '4', options: JSON.stringify({ showRootCauses: false }) },
  },
  { file: 'temperature.png', panel: 'seismo-temperature-panel', params: {} },
  { file: 'temperature-light.png', panel: 'seismo-temperature-panel', params: { theme: 'light' } },
  { file: 'forecast.png', panel: 'seismo-forecast-panel', params: {} },
  {
    file: 'window-inspector.png',
    panel: 'seismo-forecast-panel',
    params: { options: JSON.stringify({ display: 'inspector' }), height: '420' },
  },
];

const server = await startPreviewServer();
const browser = await launchChromium();
try {
  for (const shot of shots) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const query = new URLSearchParams({
      view: 'panels',
      set: 'delay-one-edge',
      panels: shot.panel,
      width: '1200',
      height: '560',
      ...shot.params,
    });
    await page.goto(`${server.url}?${query}`);
    await page.waitForFunction(() => window.__seismoPreview?.ready === true, undefined, { timeout: 60_000 });
    if (shot.panel === 'seismo-topology-panel') {
      await page.waitForSelector('[data-layout="done"]', { timeout: 60_000 });
    }
    if (shot.file === 'window-inspector.png') {
      await page.waitForSelector('[data-testid="window-inspector"][data-phase="done"]', { timeout: 60_000 });
    }
    await shot.prepare?.(page);
    await page.waitForTimeout(400);
    await page.getByTestId(`plugin-${shot.panel}`).screenshot({ path: `${out}${shot.file}` });
    process.stdout.write(`docs/screenshots/${shot.file}\n`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
