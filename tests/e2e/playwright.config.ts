/**
 * End-to-end specs against the docker compose stack (docker-compose.yaml). They need Docker and a
 * running stack, so they are not part of `npm test`; run them on a machine with Docker:
 *
 *   export SEISMO_API_TOKEN=$(openssl rand -hex 24)
 *   docker compose up --build -d
 *   npx playwright test -c tests/e2e
 *
 * GRAFANA_URL, MESH_CONTROL_URL and MAILPIT_URL point the specs at another stack.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, devices } from '@playwright/test';
import type { PluginOptions } from '@grafana/plugin-e2e';

const here = dirname(fileURLToPath(import.meta.url));
const pluginE2eAuth = join(dirname(createRequire(import.meta.url).resolve('@grafana/plugin-e2e')), 'auth');

export default defineConfig<PluginOptions>({
  testDir: here,
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: process.env.GRAFANA_URL ?? 'http://localhost:3000',
    provisioningRootDir: join(here, '../../provisioning'),
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'auth', testDir: pluginE2eAuth, testMatch: [/.*\.js/] },
    {
      name: 'run-tests',
      use: { ...devices['Desktop Chrome'], storageState: 'playwright/.auth/admin.json' },
      dependencies: ['auth'],
    },
  ],
});
