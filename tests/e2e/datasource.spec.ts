/**
 * NOT RUN on machines without Docker: needs the docker compose stack (see playwright.config.ts).
 * The provisioned Seismo datasource passes its health check (Prometheus and sidecar reachable,
 * token accepted).
 */
import { expect, test } from '@grafana/plugin-e2e';

test.describe('Seismo datasource (docker compose stack)', () => {
  test('Save & test of the provisioned datasource succeeds', async ({
    readProvisionedDataSource,
    gotoDataSourceConfigPage,
  }) => {
    const datasource = await readProvisionedDataSource({ fileName: 'datasources.yaml', name: 'Seismo' });
    const configPage = await gotoDataSourceConfigPage(datasource.uid);
    await expect(configPage.saveAndTest()).toBeOK();
  });
});
