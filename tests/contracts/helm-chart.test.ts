import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';

import { helm, lintChart, NAMESPACE, renderChart, templateChart } from './helm.js';
import { checkManifest, checkRestrictedContainer, isWorkload, selects } from './kubernetesManifest.js';
import { filesIn, readJson, readText, readYaml } from './repoFiles.js';
import { validateContainerConfig } from './sidecarConfig.js';

/**
 * The Helm chart (deploy/helm/seismo), linted and rendered with the real helm in several
 * configurations; the rendered manifests are checked for shape, security context and the
 * selectors and names that must agree, the sidecar config with the sidecar's own validator and
 * the Prometheus rules with promtool.
 */
const PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';
const CONFIGS: Record<string, Record<string, string>> = {
  default: { 'prometheus.url': PROMETHEUS },
  sharded: { 'prometheus.url': PROMETHEUS, 'sharding.enabled': 'true', 'sharding.replicas': '3' },
  'ebpf agent and Grafana routing': {
    'prometheus.url': PROMETHEUS,
    'ebpfAgent.enabled': 'true',
    'grafana.alerting.routing': 'true',
  },
  'existing secret, no persistence, no network policy': {
    'prometheus.url': PROMETHEUS,
    'apiToken.existingSecret': 'seismo-token',
    'apiToken.existingSecretKey': 'api-token',
    'persistence.enabled': 'false',
    'networkPolicy.enabled': 'false',
  },
};
const rendered = Object.fromEntries(Object.entries(CONFIGS).map(([name, values]) => [name, renderChart(values)]));
const scratch = mkdtempSync(join(tmpdir(), 'seismo-helm-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const find = (docs: any[], kind: string, name?: string) =>
  docs.filter((doc) => doc.kind === kind && (name === undefined || doc.metadata.name === name));
const one = (docs: any[], kind: string, name?: string) => {
  const found = find(docs, kind, name);
  assert.equal(found.length, 1, `expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
};
const sidecarWorkload = (docs: any[]) =>
  docs.find((d) => isWorkload(d) && d.metadata.labels['app.kubernetes.io/component'] === 'sidecar');

describe('Helm chart', () => {
  test('helm lint --strict passes in every configuration', () => {
    for (const [name, values] of Object.entries(CONFIGS)) {
      const { ok, output } = lintChart(values);
      assert.ok(ok, `${name}: ${output}`);
    }
  });

  test('bad values are refused with a message: missing Prometheus URL, short token, misspelt key', () => {
    const missing = templateChart({});
    assert.equal(missing.ok, false);
    assert.match(missing.output, /prometheus\.url is required/);
    const short = templateChart({ 'prometheus.url': PROMETHEUS, 'apiToken.value': 'short' });
    assert.equal(short.ok, false);
    assert.match(short.output, /at least 16 characters/);
    const typo = lintChart({ 'prometheus.url': PROMETHEUS, 'sharding.replica': '3' });
    assert.equal(typo.ok, false);
    assert.match(typo.output, /replica/);
  });

  for (const [name, docs] of Object.entries(rendered)) {
    test(`${name}: every manifest has the shape its kind requires`, () => {
      assert.deepEqual(docs.flatMap(checkManifest), []);
      const keys = docs.map((d) => `${d.kind}/${d.metadata.name}`);
      assert.equal(new Set(keys).size, keys.length, 'duplicate objects');
      for (const doc of docs) {
        if (!['ClusterRole', 'ClusterRoleBinding'].includes(doc.kind)) {
          assert.equal(
            doc.metadata.namespace,
            undefined,
            `${doc.kind}/${doc.metadata.name}: namespace comes from helm -n`
          );
        }
      }
    });

    test(`${name}: the sidecar runs non-root with a read-only root file system, probes and resources`, () => {
      const workload = sidecarWorkload(docs);
      const pod = workload.spec.template.spec;
      assert.equal(pod.automountServiceAccountToken, false);
      for (const container of pod.containers) {
        assert.deepEqual(checkRestrictedContainer(pod, container), []);
        assert.equal(container.livenessProbe.httpGet.path, '/healthz');
        assert.equal(container.readinessProbe.httpGet.path, '/readyz');
        assert.ok(container.resources.requests.cpu && container.resources.limits.memory);
      }
      const writable = pod.containers[0].volumeMounts.filter((m: any) => !m.readOnly).map((m: any) => m.mountPath);
      assert.deepEqual(writable.sort(), ['/tmp', '/var/lib/seismo'], 'only the state directory and /tmp are writable');
    });

    test(`${name}: Services, monitors and policies select the pods they are meant for`, () => {
      const workloads = docs.filter(isWorkload);
      const podLabels = (w: any) => w.spec.template.metadata.labels;
      for (const service of find(docs, 'Service')) {
        assert.ok(
          workloads.some((w) => selects(service.spec.selector, podLabels(w))),
          `Service ${service.metadata.name} selects no pod`
        );
        for (const port of service.spec.ports) {
          const names = workloads.flatMap((w) =>
            w.spec.template.spec.containers.flatMap((c: any) => c.ports.map((p: any) => p.name))
          );
          assert.ok(names.includes(port.targetPort), `Service ${service.metadata.name}: targetPort ${port.targetPort}`);
        }
      }
      for (const monitor of find(docs, 'ServiceMonitor')) {
        const services = find(docs, 'Service').filter((s) =>
          selects(monitor.spec.selector.matchLabels, s.metadata.labels)
        );
        assert.equal(
          services.length,
          1,
          'the ServiceMonitor selects exactly one Service, so no replica is scraped twice'
        );
        for (const endpoint of monitor.spec.endpoints) {
          assert.ok(services[0].spec.ports.some((p: any) => p.name === endpoint.port));
          assert.deepEqual(endpoint.relabelings, [{ targetLabel: 'job', replacement: 'seismo-sidecar' }]);
        }
        assert.deepEqual(monitor.spec.namespaceSelector.matchNames, [NAMESPACE]);
      }
      for (const monitor of find(docs, 'PodMonitor')) {
        assert.ok(
          workloads.some((w) => selects(monitor.spec.selector.matchLabels, podLabels(w))),
          'PodMonitor selects no pod'
        );
      }
      for (const policy of find(docs, 'NetworkPolicy')) {
        assert.ok(selects(policy.spec.podSelector.matchLabels, podLabels(sidecarWorkload(docs))));
        assert.deepEqual(policy.spec.policyTypes, ['Ingress', 'Egress']);
        assert.ok(
          policy.spec.egress.some((rule: any) => rule.ports.some((p: any) => p.port === 53)),
          'DNS egress'
        );
        assert.ok(
          policy.spec.egress.some((rule: any) => rule.ports.some((p: any) => p.port === 9090)),
          'Prometheus egress'
        );
      }
    });

    test(`${name}: the sidecar accepts the config the chart renders`, () => {
      const workload = sidecarWorkload(docs);
      const configMap = one(
        docs,
        'ConfigMap',
        workload.spec.template.spec.volumes.find((v: any) => v.name === 'config').configMap.name
      );
      const container = workload.spec.template.spec.containers[0];
      const mounts = container.volumeMounts.map((m: any) => m.mountPath);
      const tokenVolume = workload.spec.template.spec.volumes.find((v: any) => v.name === 'token').secret;
      const tokenPath = `/var/run/secrets/seismo/${tokenVolume.items[0].path}`;
      for (const [file, text] of Object.entries<string>(configMap.data)) {
        const config = validateContainerConfig(text, `/etc/seismo/${file}`, {
          files: { [tokenPath]: 'a-token-of-at-least-sixteen-characters' },
          directories: mounts,
        });
        assert.equal(config.prometheus.url, PROMETHEUS);
        assert.equal(config.api.host, '0.0.0.0');
        assert.equal(config.api.tokenFile, tokenPath);
        assert.ok(mounts.includes(config.storage.stateDir), 'the state directory is a volume');
      }
      const args = container.args.join(' ');
      assert.ok(
        Object.keys(configMap.data).some(
          (file) => args.includes(file) || args.includes('shard-$(SEISMO_SHARD_INDEX).yaml')
        ),
        `the container reads none of the config files: ${args}`
      );
    });

    test(`${name}: the PrometheusRule holds the repository's rules, which promtool accepts`, () => {
      const rule = one(docs, 'PrometheusRule');
      const expected = filesIn('deploy/prometheus/rules', '.rules.yaml')
        .sort((a) => (a.includes('recording') ? -1 : 1))
        .flatMap((file) => readYaml(file).groups);
      assert.deepEqual(rule.spec.groups, expected);
      const file = join(scratch, `rules-${name.replace(/\W+/g, '-')}.yaml`);
      writeFileSync(file, stringify({ groups: rule.spec.groups }));
      const result = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stdout + result.stderr);
    });

    test(`${name}: Grafana provisioning ConfigMaps carry the sidecar labels and the repository's files`, () => {
      const dashboards = docs.filter((d) => d.kind === 'ConfigMap' && d.metadata.labels.grafana_dashboard === '1');
      assert.deepEqual(
        dashboards.flatMap((d) => Object.keys(d.data)).sort(),
        filesIn('dashboards', '.json')
          .map((f) => f.split('/').pop())
          .sort()
      );
      for (const configMap of dashboards) {
        const [file, text] = Object.entries<string>(configMap.data)[0]!;
        assert.deepEqual(JSON.parse(text), readJson(`dashboards/${file}`));
        assert.equal(configMap.metadata.annotations.grafana_folder, 'Seismo');
      }

      const datasources = one(docs, 'ConfigMap', 'seismo-grafana-datasources');
      assert.equal(datasources.metadata.labels.grafana_datasource, '1');
      const provisioned = parse(datasources.data['seismo-datasources.yaml']).datasources;
      assert.deepEqual(provisioned.map((ds: any) => ds.uid).sort(), ['seismo', 'seismo-prometheus']);
      const seismo = provisioned.find((ds: any) => ds.uid === 'seismo');
      const service = one(docs, 'Service', 'seismo');
      assert.equal(seismo.jsonData.sidecarUrl, `http://seismo.${NAMESPACE}.svc:${service.spec.ports[0].port}`);
      assert.equal(seismo.secureJsonData.sidecarToken, '$SEISMO_API_TOKEN');

      const alerting = one(docs, 'ConfigMap', 'seismo-grafana-alerting');
      assert.equal(alerting.metadata.labels.grafana_alert, '1');
      assert.deepEqual(parse(alerting.data['seismo-rules.yaml']), readYaml('provisioning/alerting/rules.yaml'));
      const routing = CONFIGS[name]!['grafana.alerting.routing'] === 'true';
      assert.equal('seismo-policies.yaml' in alerting.data, routing, 'the policy tree replaces the org tree: opt-in');

      const app = parse(one(docs, 'ConfigMap', 'seismo-grafana-app').data['seismo-app.yaml']);
      assert.equal(app.apps[0].jsonData.datasourceUid, seismo.uid);
    });
  }

  test('sharding refuses clusters older than 1.28, which lack the pod-index label', () => {
    const old = helm([
      'template',
      'seismo',
      '.',
      '--kube-version',
      '1.27.0',
      '--set',
      `prometheus.url=${PROMETHEUS}`,
      '--set',
      'sharding.enabled=true',
    ]);
    assert.equal(old.ok, false);
    assert.match(old.output, /sharding needs Kubernetes 1\.28/);
    assert.ok(
      helm(['template', 'seismo', '.', '--kube-version', '1.27.0', '--set', `prometheus.url=${PROMETHEUS}`]).ok
    );
  });

  test('sharded: one StatefulSet pod per shard, each reading its own shard of the services', () => {
    const docs = rendered.sharded!;
    const statefulSet = one(docs, 'StatefulSet');
    assert.equal(statefulSet.spec.replicas, 3);
    const headless = one(docs, 'Service', statefulSet.spec.serviceName);
    assert.equal(headless.spec.clusterIP, 'None');
    const configMap = one(docs, 'ConfigMap', 'seismo');
    const shards = Object.entries<string>(configMap.data).map(([file, text]) => ({ file, config: parse(text) }));
    assert.deepEqual(
      shards.map((s) => s.file),
      ['shard-0.yaml', 'shard-1.yaml', 'shard-2.yaml']
    );
    shards.forEach(({ config }, i) => assert.deepEqual(config.sharding, { index: i, count: 3 }));
    assert.equal(
      new Set(shards.map((s) => s.config.incidents.idPrefix)).size,
      3,
      'incident ids never collide across shards'
    );
    const container = statefulSet.spec.template.spec.containers[0];
    assert.deepEqual(container.args, ['--config', '/etc/seismo/shard-$(SEISMO_SHARD_INDEX).yaml']);
    assert.equal(
      container.env.find((e: any) => e.name === 'SEISMO_SHARD_INDEX').valueFrom.fieldRef.fieldPath,
      "metadata.labels['apps.kubernetes.io/pod-index']"
    );
    assert.equal(statefulSet.spec.volumeClaimTemplates[0].metadata.name, 'state');
    assert.equal(find(docs, 'Deployment').length, 0);
    assert.equal(find(docs, 'PersistentVolumeClaim').length, 0);
  });

  test('default: one Deployment replaced with Recreate, a kept PVC and a generated token', () => {
    const docs = rendered.default!;
    const deployment = one(docs, 'Deployment');
    assert.equal(deployment.spec.replicas, 1);
    assert.equal(deployment.spec.strategy.type, 'Recreate');
    assert.equal(one(docs, 'PersistentVolumeClaim').metadata.annotations['helm.sh/resource-policy'], 'keep');
    const token = Buffer.from(one(docs, 'Secret').data.token, 'base64').toString();
    assert.ok(token.length >= 16);
  });

  test('existing secret: the chart makes no Secret and mounts the given key', () => {
    const docs = rendered['existing secret, no persistence, no network policy']!;
    assert.equal(find(docs, 'Secret').length, 0);
    const volume = sidecarWorkload(docs).spec.template.spec.volumes.find((v: any) => v.name === 'token');
    assert.deepEqual(volume.secret, { secretName: 'seismo-token', items: [{ key: 'api-token', path: 'api-token' }] });
    assert.equal(find(docs, 'NetworkPolicy').length, 0);
    assert.deepEqual(
      sidecarWorkload(docs).spec.template.spec.volumes.find((v: any) => v.name === 'state').emptyDir,
      {}
    );
  });

  test('ebpf agent: a privileged host-PID DaemonSet with read-only RBAC and its metrics scraped', () => {
    const docs = rendered['ebpf agent and Grafana routing']!;
    const daemonSet = one(docs, 'DaemonSet');
    const pod = daemonSet.spec.template.spec;
    assert.equal(pod.hostPID, true);
    assert.equal(pod.containers[0].securityContext.privileged, true);
    const role = one(docs, 'ClusterRole');
    for (const rule of role.rules) {
      assert.deepEqual(rule.verbs, ['get', 'list', 'watch'], 'the agent only reads the API');
    }
    const binding = one(docs, 'ClusterRoleBinding');
    assert.equal(binding.roleRef.name, role.metadata.name);
    assert.equal(binding.subjects[0].name, pod.serviceAccountName);
    assert.equal(binding.subjects[0].namespace, NAMESPACE);
    const config = parse(one(docs, 'ConfigMap', 'seismo-ebpf-agent').data['beyla.yaml']);
    assert.equal(config.prometheus_export.port, pod.containers[0].ports[0].containerPort);
    assert.equal(one(docs, 'PodMonitor').spec.podMetricsEndpoints[0].port, pod.containers[0].ports[0].name);
    assert.equal(find(rendered.default!, 'DaemonSet').length, 0, 'the agent is off by default');
  });

  test('the shape checks catch broken manifests', () => {
    const deployment = structuredClone(one(rendered.default!, 'Deployment'));
    deployment.apiVersion = 'extensions/v1beta1';
    deployment.spec.template.spec.containers[0].image = 'seismo-sidecar';
    deployment.spec.selector.matchLabels['app.kubernetes.io/name'] = 'other';
    const problems = checkManifest(deployment).join('\n');
    assert.match(problems, /apiVersion extensions\/v1beta1/);
    assert.match(problems, /needs a tag/);
    assert.match(problems, /does not select the pod template/);
    const pod = { securityContext: {} };
    assert.equal(checkRestrictedContainer(pod, { name: 'x', securityContext: { privileged: true } }).length, 6);
  });

  test('the chart ships the README that documents it', () => {
    assert.match(readText('deploy/helm/seismo/README.md'), /helm install/);
  });
});
