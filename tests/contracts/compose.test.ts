import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { parseCliArgs } from '../../demo/src/cli.js';
import { loadScenario } from '../../demo/src/faults/loadScenario.js';
import { loadTopology } from '../../demo/src/topology/loadTopology.js';
import { findPlugins } from './pluginJson.js';
import { readText, readYaml, root } from './repoFiles.js';
import { validateContainerConfig } from './sidecarConfig.js';

/**
 * docker compose cannot run on the machines that test Seismo, so its structure is checked: files
 * it references exist, images are pinned, ids, uids, hosts and ports agree between compose, the
 * provisioning files, Prometheus, Alertmanager and the sidecar config, the sidecar accepts its
 * config and the demo mesh accepts its command line and scenario.
 */
const compose = readYaml('docker-compose.yaml');
const services = compose.services as Record<string, any>;
const prometheusConfig = readYaml('deploy/docker/prometheus.yml');
const alertmanagerConfig = readYaml('deploy/alertmanager/alertmanager.yml');
const { datasources } = readYaml('provisioning/datasources/datasources.yaml');

/** `source:target[:mode]` of a service's volumes, bind mounts (./...) and named ones alike. */
function mounts(service: any): Array<{ source: string; target: string; readOnly: boolean }> {
  return (service.volumes ?? []).map((volume: string) => {
    const [source, target, mode] = String(volume).split(':');
    return { source: source!, target: target!, readOnly: mode === 'ro' };
  });
}
const mountOf = (service: any, target: string) => mounts(service).find((m) => m.target === target);
const scrapeTargets = (): string[] =>
  prometheusConfig.scrape_configs.flatMap((job: any) => job.static_configs.flatMap((c: any) => c.targets));
/** Every string value in a parsed YAML document (comments are not values). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (value && typeof value === 'object') {
    return Object.values(value).flatMap(stringsIn);
  }
  return [];
}
const hostPort = (url: string) => {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
};

function sidecarConfig() {
  const sidecar = services['seismo-sidecar'];
  const config = mountOf(sidecar, '/etc/seismo/config.yaml')!;
  return validateContainerConfig(readText(config.source), '/etc/seismo/config.yaml', {
    files: { '/run/seismo/api-token': 'a-token-of-at-least-sixteen-characters' },
    directories: mounts(sidecar).map((m) => m.target),
  });
}

describe('docker compose', () => {
  test('every build context, Dockerfile and bind-mounted file exists; named volumes are declared', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        assert.ok(
          existsSync(join(root, service.build.context, service.build.dockerfile ?? 'Dockerfile')),
          `${name}: Dockerfile missing`
        );
      }
      for (const { source } of mounts(service)) {
        if (source.startsWith('.')) {
          assert.ok(existsSync(join(root, source)), `${name}: ${source} missing`);
        } else {
          assert.ok(source in (compose.volumes ?? {}), `${name}: named volume ${source} not declared`);
        }
      }
    }
  });

  test('every image is pinned to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.image) {
        assert.match(service.image, /^[\w./-]+:v?\d+(\.\d+)*$/, `${name}: image ${service.image} is not pinned`);
      } else {
        assert.ok(service.build, `${name}: neither image nor build`);
      }
    }
  });

  test('Grafana loads every plugin of the app unsigned, from the volume the build fills', () => {
    const grafana = services.grafana;
    const ids = findPlugins(join(root, 'src'))
      .map((plugin) => plugin.json.id)
      .sort();
    assert.deepEqual(String(grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',').sort(), ids);
    assert.equal(ids.length, 5);
    assert.ok(services['plugin-build'].volumes.includes('plugin-dist:/out'));
    assert.deepEqual(mountOf(grafana, '/var/lib/grafana/plugins/seismo-aiops-app'), {
      source: 'plugin-dist',
      target: '/var/lib/grafana/plugins/seismo-aiops-app',
      readOnly: true,
    });
    assert.equal(grafana.depends_on['plugin-build'].condition, 'service_completed_successfully');
  });

  test('Grafana reads the provisioning files and the dashboards where the dashboard provider looks', () => {
    const grafana = services.grafana;
    assert.equal(mountOf(grafana, '/etc/grafana/provisioning')?.source, './provisioning');
    const provider = readYaml('provisioning/dashboards/seismo.yaml').providers[0];
    assert.equal(mountOf(grafana, provider.options.path)?.source, './dashboards');
  });

  test('every environment variable the provisioning files read is set for Grafana', () => {
    const referenced = new Set<string>();
    for (const file of [
      'provisioning/datasources/datasources.yaml',
      'provisioning/alerting/contact-points.yaml',
      'provisioning/plugins/apps.yaml',
    ]) {
      for (const value of stringsIn(readYaml(file))) {
        for (const match of value.matchAll(/\$\{?([A-Z][A-Z0-9_]*)\}?/g)) {
          referenced.add(match[1]!);
        }
      }
    }
    assert.ok(referenced.size >= 4, 'expected the token and the contact point settings');
    // The entrypoint sets the token from the shared volume; the rest come from the environment.
    const setByEntrypoint = String(services.grafana.entrypoint).match(/\b([A-Z][A-Z0-9_]*)="\$\$\(cat /g) ?? [];
    for (const name of referenced) {
      assert.ok(
        name in services.grafana.environment || setByEntrypoint.some((m) => m.startsWith(name)),
        `${name} is read by provisioning but not set for Grafana`
      );
    }
  });

  test('the API token is made on the first start and shared through a volume, never a value in the repository', () => {
    const maker = services['api-token'];
    assert.match(maker.command.join(' '), /head -c 24 \/dev\/urandom/, 'a random token when none is given');
    assert.equal(maker.environment.SEISMO_API_TOKEN, '${SEISMO_API_TOKEN:-}', 'an operator may choose the token');
    for (const name of ['grafana', 'seismo-sidecar']) {
      assert.deepEqual(mountOf(services[name], '/run/seismo'), {
        source: 'api-token',
        target: '/run/seismo',
        readOnly: true,
      });
      assert.equal(services[name].depends_on['api-token'].condition, 'service_completed_successfully');
    }
    assert.match(
      String(services.grafana.entrypoint),
      /SEISMO_API_TOKEN="\$\$\(cat \/run\/seismo\/api-token\)" exec \/run\.sh/
    );
    assert.equal(services.grafana.environment.SEISMO_API_TOKEN, undefined, 'no token in the compose file');
  });

  test('the sidecar accepts its config and serves on the address Grafana and Prometheus use', () => {
    const sidecar = services['seismo-sidecar'];
    assert.equal(sidecar.build.context, 'backend-sidecar');
    assert.equal(sidecar.read_only, true, 'the sidecar runs with a read-only root file system');
    const config = sidecarConfig();
    assert.equal(config.api.host, '0.0.0.0');
    assert.equal(config.api.tokenFile, '/run/seismo/api-token');
    assert.equal(mountOf(sidecar, config.storage.stateDir)?.source, 'sidecar-state', 'state survives restarts');

    const seismo = datasources.find((ds: any) => ds.type === 'seismo-anomaly-datasource');
    assert.deepEqual(hostPort(seismo.jsonData.sidecarUrl), { host: 'seismo-sidecar', port: config.api.port });
    assert.ok(scrapeTargets().includes(`seismo-sidecar:${config.api.port}`), 'Prometheus does not scrape the sidecar');
    const job = prometheusConfig.scrape_configs.find((j: any) =>
      j.static_configs[0].targets[0].startsWith('seismo-sidecar:')
    );
    assert.equal(job.job_name, 'seismo-sidecar', 'the SeismoSidecarDown rule expects job="seismo-sidecar"');
    assert.deepEqual(hostPort(config.prometheus.url), { host: 'prometheus', port: 9090 });
    assert.equal(seismo.jsonData.prometheusUrl, config.prometheus.url);
  });

  test('the demo mesh command and scenario are valid, and faults start after the detectors warm up', () => {
    const mesh = services['demo-mesh'];
    const options = parseCliArgs(mesh.command);
    assert.equal(options.exposeHost, '0.0.0.0', 'metrics must be reachable from the Prometheus container');
    assert.ok(
      scrapeTargets().includes(`demo-mesh:${options.metricsPort}`),
      `no scrape target demo-mesh:${options.metricsPort}`
    );
    assert.ok(mesh.ports.includes(`${options.controlPort}:${options.controlPort}`), 'the fault API is published');

    const scenarioMount = mountOf(mesh, `/app/demo/${options.scenarioPath}`);
    const scenarioFile = scenarioMount ? join(root, scenarioMount.source) : join(root, 'demo', options.scenarioPath!);
    const topology = loadTopology(options.topologyPath);
    const scenario = loadScenario(scenarioFile, topology);
    assert.ok(scenario.faults.length > 0);

    const config = sidecarConfig();
    const warmupSeconds = config.detection.univariate.warmup * config.detection.stepSeconds;
    const firstFault = Math.min(...scenario.faults.map((fault) => fault.startSeconds));
    assert.ok(firstFault > warmupSeconds, `first fault at ${firstFault} s, before the ${warmupSeconds} s warm-up`);
  });

  test('Prometheus loads the rules and sends alerts to Alertmanager', () => {
    const prometheus = services.prometheus;
    assert.equal(mountOf(prometheus, '/etc/prometheus/prometheus.yml')?.source, './deploy/docker/prometheus.yml');
    const rulesDir = mountOf(prometheus, '/etc/prometheus/rules')!;
    assert.equal(rulesDir.source, './deploy/prometheus/rules');
    assert.deepEqual(prometheusConfig.rule_files, ['/etc/prometheus/rules/*.rules.yaml']);
    assert.deepEqual(prometheusConfig.alerting.alertmanagers[0].static_configs[0].targets, ['alertmanager:9093']);
    assert.ok(services.alertmanager.ports.includes('9093:9093'));
  });

  test("the demo mesh exports kube-state-metrics, from which the sidecar reads each service's team", () => {
    const options = parseCliArgs(services['demo-mesh'].command);
    assert.ok(
      options.telemetry === undefined || options.telemetry.includes('kube-state-metrics'),
      'the mesh must export the kube-state-metrics family the kubernetes preset joins on'
    );
    const topology = loadTopology(options.topologyPath);
    for (const service of topology.services.values()) {
      assert.ok(service.labels.team, `${service.name} has no team label in the topology`);
    }
    const config = sidecarConfig();
    assert.ok(config.telemetry.presets.includes('kubernetes'), 'the kubernetes preset reads kube_deployment_labels');
    assert.equal(config.telemetry.ownerLabel, 'team');
  });

  test('Alertmanager and Grafana mail the inbox container, and the on-call webhook reaches the echo container', () => {
    const alertmanager = services.alertmanager;
    assert.equal(
      mountOf(alertmanager, '/etc/alertmanager/alertmanager.yml')?.source,
      './deploy/alertmanager/alertmanager.yml'
    );
    const templates = mountOf(alertmanager, '/etc/alertmanager/templates')!;
    assert.deepEqual(alertmanagerConfig.templates, [`${templates.target}/*.tmpl`]);
    assert.equal(alertmanagerConfig.global.smtp_smarthost, 'mailpit:1025');
    assert.equal(services.grafana.environment.GF_SMTP_HOST, 'mailpit:1025');
    assert.ok(services.mailpit.ports.includes('8025:8025'));
    const webhook = alertmanagerConfig.receivers.find((r: any) => r.name === 'oncall').webhook_configs[0].url;
    assert.deepEqual(hostPort(webhook), {
      host: 'webhook-echo',
      port: Number(services['webhook-echo'].environment.HTTP_PORT),
    });
    assert.deepEqual(hostPort(services.grafana.environment.SEISMO_ALERT_WEBHOOK_URL), hostPort(webhook));
  });

  test('Beyla is optional, privileged, sees the mesh processes and is scraped on its metrics port', () => {
    const beyla = services.beyla;
    assert.deepEqual(beyla.profiles, ['ebpf']);
    assert.equal(beyla.privileged, true);
    assert.equal(beyla.pid, 'service:demo-mesh');
    assert.ok(scrapeTargets().includes(`beyla:${beyla.environment.BEYLA_PROMETHEUS_PORT}`));
  });
});

describe('provisioning wiring', () => {
  test('the app points at the Seismo datasource, which reads the provisioned Prometheus', () => {
    const { apps } = readYaml('provisioning/plugins/apps.yaml');
    const seismo = datasources.find((ds: any) => ds.type === 'seismo-anomaly-datasource');
    assert.equal(apps[0].type, 'seismo-aiops-app');
    assert.equal(apps[0].jsonData.datasourceUid, seismo.uid);
    const prometheus = datasources.find((ds: any) => ds.type === 'prometheus');
    assert.equal(prometheus.url, seismo.jsonData.prometheusUrl);
    assert.equal(seismo.secureJsonData.sidecarToken, '$SEISMO_API_TOKEN', 'the token comes from the environment');
  });

  test('datasource uids and names are unique', () => {
    assert.equal(new Set(datasources.map((ds: any) => ds.uid)).size, datasources.length);
    assert.equal(new Set(datasources.map((ds: any) => ds.name)).size, datasources.length);
  });
});
