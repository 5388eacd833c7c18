/**
 * NOT RUN on machines without Docker: needs the docker compose stack (see playwright.config.ts).
 * The app's pages load in Grafana and read the sidecar through the provisioned datasource.
 */
import { expect, test } from '@grafana/plugin-e2e';

import { APP_PAGES } from './stack.js';

test.describe('Seismo app pages (docker compose stack)', () => {
  for (const { path, testId } of APP_PAGES) {
    test(`the ${path} page loads and reads the sidecar without errors`, async ({ gotoAppPage, page }) => {
      await gotoAppPage({ pluginId: 'seismo-aiops-app', path: `/${path}` });
      await expect(page.getByTestId(testId)).toBeVisible();
      await expect(page.getByText('Choose a Seismo datasource')).toHaveCount(0);
      // Give the page its first answer, then require that none of its requests failed.
      await expect(page.getByText(/^Loading/)).toHaveCount(0, { timeout: 30_000 });
      await expect(page.getByTestId('seismo-sidecar-error')).toHaveCount(0);
    });
  }

  test('the services page lists the demo mesh with detector states', async ({ gotoAppPage, page }) => {
    await gotoAppPage({ pluginId: 'seismo-aiops-app', path: '/services' });
    await expect(page.getByRole('link', { name: 'frontend' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByLabel('Monitor frontend')).toBeChecked();
  });

  test('the configuration page shows the provisioned datasource and its health', async ({
    gotoAppConfigPage,
    page,
  }) => {
    await gotoAppConfigPage({ pluginId: 'seismo-aiops-app' });
    await expect(page.getByText('The datasource is healthy')).toBeVisible({ timeout: 30_000 });
  });
});
