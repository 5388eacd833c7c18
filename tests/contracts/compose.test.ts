import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

import { parseCliArgs } from '../../demo/src/cli.js';
import { findPlugins } from './pluginJson.js';

/**
 * docker compose cannot run on the machines that test Seismo, so its structure is checked:
 * files it references exist, ids and uids agree with the plugin and provisioning, and the demo
 * mesh's command line is accepted by the mesh's own argument parser.
 */
const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const readYaml = (path: string) => parse(readFileSync(join(root, path), 'utf8'));
const compose = readYaml('docker-compose.yaml');
const services = compose.services as Record<string, any>;

test('every build context, Dockerfile and bind-mounted file exists', () => {
  for (const [name, service] of Object.entries(services)) {
    if (service.build) {
      assert.ok(
        existsSync(join(root, service.build.context, service.build.dockerfile ?? 'Dockerfile')),
        `${name}: Dockerfile missing`
      );
    }
    for (const volume of service.volumes ?? []) {
      const source = String(volume).split(':')[0]!;
      if (source.startsWith('.')) {
        assert.ok(existsSync(join(root, source)), `${name}: ${source} missing`);
      } else {
        assert.ok(source in (compose.volumes ?? {}), `${name}: named volume ${source} not declared`);
      }
    }
  }
  assert.ok(existsSync(join(root, services.grafana.extends.file)), 'grafana base file missing');
});

test('Grafana loads every plugin of the app unsigned, from the volume the build fills', () => {
  const ids = findPlugins(join(root, 'src'))
    .map((plugin) => plugin.json.id)
    .sort();
  const allowed = String(services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',').sort();
  assert.deepEqual(allowed, ids);
  assert.ok(services['plugin-build'].volumes.includes('plugin-dist:/out'));
  assert.ok(services.grafana.volumes.includes('plugin-dist:/var/lib/grafana/plugins/seismo-aiops-app'));
  assert.equal(services.grafana.depends_on['plugin-build'].condition, 'service_completed_successfully');
});

test('the demo mesh command is valid for the mesh CLI and Prometheus scrapes its metrics port', () => {
  const options = parseCliArgs(services['demo-mesh'].command);
  assert.equal(options.exposeHost, '0.0.0.0', 'metrics must be reachable from the Prometheus container');
  assert.ok(existsSync(join(root, 'demo', options.scenarioPath!)), `${options.scenarioPath} missing`);
  const prometheus = readYaml('deploy/docker/prometheus.yml');
  const targets = prometheus.scrape_configs.flatMap((job: any) => job.static_configs.flatMap((c: any) => c.targets));
  assert.ok(targets.includes(`demo-mesh:${options.metricsPort}`), `no scrape target demo-mesh:${options.metricsPort}`);
});

test('provisioning wires the app to the Seismo datasource and the datasource to Prometheus', () => {
  const { datasources } = readYaml('provisioning/datasources/datasources.yaml');
  const { apps } = readYaml('provisioning/plugins/apps.yaml');
  const seismo = datasources.find((ds: any) => ds.type === 'seismo-anomaly-datasource');
  assert.ok(seismo, 'no Seismo datasource provisioned');
  assert.equal(apps[0].type, 'seismo-aiops-app');
  assert.equal(apps[0].jsonData.datasourceUid, seismo.uid);
  assert.equal(seismo.jsonData.prometheusUrl, 'http://prometheus:9090');
  assert.ok(datasources.some((ds: any) => ds.type === 'prometheus' && ds.url === seismo.jsonData.prometheusUrl));
});
