/**
 * NOT RUN on machines without Docker: needs the docker compose stack (see playwright.config.ts).
 * Every provisioned dashboard renders every panel without a query or plugin error.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@grafana/plugin-e2e';

import { DASHBOARD_UIDS } from './stack.js';

test.describe('Seismo dashboards (docker compose stack)', () => {
  for (const uid of DASHBOARD_UIDS) {
    test(`${uid} renders its panels without errors`, async ({ gotoDashboardPage, page }) => {
      const dashboard = JSON.parse(readFileSync(new URL(`../../dashboards/${uid}.json`, import.meta.url), 'utf8')) as {
        panels: Array<{ type: string; title: string }>;
      };
      const dashboardPage = await gotoDashboardPage({ uid, timeRange: { from: 'now-1h', to: 'now' } });
      const titles = dashboard.panels.filter((panel) => panel.type !== 'row').map((panel) => panel.title);
      expect(titles.length).toBeGreaterThan(0);
      for (const title of titles) {
        const panel = dashboardPage.getPanelByTitle(title);
        await panel.scrollIntoView();
        await expect(panel.getErrorIcon(), `panel "${title}" shows an error`).toHaveCount(0);
      }
      await expect(page.getByText(/Panel plugin not found/)).toHaveCount(0);
    });
  }
});
