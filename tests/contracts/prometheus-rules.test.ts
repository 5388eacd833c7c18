import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { stringify } from 'yaml';

import { undocumentedMetrics } from './promql.js';
import { filesIn, readText, readYaml, root } from './repoFiles.js';

/**
 * The Prometheus rules (deploy/prometheus/rules) pass `promtool check rules` and their unit tests
 * (`promtool test rules`); the Grafana-managed rules' PromQL fires the same alerts with the same
 * labels on the same input; the Alertmanager config passes `amtool check-config`.
 */
const ruleFiles = filesIn('deploy/prometheus/rules', '.rules.yaml');
const testFiles = filesIn('deploy/prometheus/tests', '.test.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'seismo-rules-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function run(command: string, args: string[], cwd = root) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      `could not run ${command} (apt-get install prometheus prometheus-alertmanager): ${result.error.message}`
    );
  }
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

describe('Prometheus rules', () => {
  test('promtool check rules accepts every rule file', () => {
    assert.ok(ruleFiles.length >= 2);
    const { ok, output } = run('promtool', ['check', 'rules', ...ruleFiles]);
    assert.ok(ok, output);
  });

  test('promtool test rules passes the unit tests', () => {
    assert.ok(testFiles.length >= 1);
    const { ok, output } = run(
      'promtool',
      ['test', 'rules', ...testFiles.map((f) => f.split('/').pop()!)],
      join(root, 'deploy/prometheus/tests')
    );
    assert.ok(ok, output);
  });

  test('every alert has a severity and the annotations the notification templates print', () => {
    for (const file of ruleFiles) {
      for (const group of readYaml(file).groups) {
        for (const rule of group.rules) {
          assert.deepEqual(undocumentedMetrics(rule.expr), [], `${rule.alert ?? rule.record}: undocumented series`);
          if (!rule.alert) {
            assert.match(
              rule.record,
              /^seismo:[a-z0-9_]+:[a-z0-9_]+$/,
              'recording rules are named level:metric:operation'
            );
            continue;
          }
          assert.ok(['critical', 'warning'].includes(rule.labels.severity), `${rule.alert}: severity`);
          for (const key of ['summary', 'description', 'dashboard_path']) {
            assert.ok(rule.annotations[key], `${rule.alert}: ${key} missing`);
          }
        }
      }
    }
  });

  test('the unit tests fail when a rule is wrong', () => {
    // The same tests against a rule file whose SEV1 alert lost its team join must fail.
    const alerts = readText('deploy/prometheus/rules/seismo-alerts.rules.yaml').replace(
      'seismo:incident_open:root_cause{severity="SEV1"}',
      'max by (incident_id, severity, root_cause) (seismo:incident_open:root_cause{severity="SEV1"})'
    );
    writeFileSync(join(scratch, 'alerts.rules.yaml'), alerts);
    writeFileSync(
      join(scratch, 'recording.rules.yaml'),
      readText('deploy/prometheus/rules/seismo-recording.rules.yaml')
    );
    const tests = readYaml('deploy/prometheus/tests/seismo-rules.test.yaml');
    tests.rule_files = ['recording.rules.yaml', 'alerts.rules.yaml'];
    writeFileSync(join(scratch, 'broken.test.yaml'), stringify(tests));
    const { ok, output } = run('promtool', ['test', 'rules', 'broken.test.yaml'], scratch);
    assert.equal(ok, false);
    assert.match(output, /SeismoIncidentSEV1/);
  });
});

describe('Grafana-managed rules and Prometheus rules agree', () => {
  test('the Grafana rules over Prometheus fire with the same labels at the same times on the unit-test input', () => {
    // Each Grafana rule whose condition is a threshold over one PromQL query becomes the
    // equivalent Prometheus alert; the Prometheus unit tests, without their annotations (the
    // two rule sets word links differently), must pass against them.
    const translated: any[] = [];
    for (const group of readYaml('provisioning/alerting/rules.yaml').groups) {
      for (const rule of group.rules) {
        const condition = rule.data.find((d: any) => d.refId === rule.condition).model;
        const query = rule.data.find((d: any) => d.refId === condition.expression);
        if (condition.type !== 'threshold' || query?.datasourceUid !== 'seismo-prometheus') {
          continue;
        }
        const { type, params } = condition.conditions[0].evaluator;
        assert.equal(type, 'gt', `${rule.title}: only "above" thresholds are translated`);
        translated.push({
          alert: rule.title,
          expr: `(${query.model.expr}) > ${params[0]}`,
          ...(rule.for !== '0s' ? { for: rule.for } : {}),
          labels: rule.labels,
        });
      }
    }
    assert.ok(translated.length >= 6, `only ${translated.length} rules translated`);
    writeFileSync(join(scratch, 'grafana.rules.yaml'), stringify({ groups: [{ name: 'grafana', rules: translated }] }));

    const names = new Set(translated.map((rule) => rule.alert));
    const tests = readYaml('deploy/prometheus/tests/seismo-rules.test.yaml');
    tests.rule_files = ['grafana.rules.yaml'];
    tests.tests = tests.tests
      .map((t: any) => ({
        ...t,
        promql_expr_test: undefined,
        alert_rule_test: (t.alert_rule_test ?? [])
          .filter((a: any) => names.has(a.alertname))
          .map((a: any) => ({
            ...a,
            exp_alerts: a.exp_alerts.map((e: any) => ({ exp_labels: e.exp_labels })),
          })),
      }))
      .filter((t: any) => t.alert_rule_test.length > 0);
    writeFileSync(join(scratch, 'grafana.test.yaml'), stringify(tests));
    const { ok, output } = run('promtool', ['test', 'rules', 'grafana.test.yaml'], scratch);
    assert.ok(ok, output);
  });
});

describe('Alertmanager config', () => {
  test('amtool check-config accepts it, with the templates it loads', () => {
    const config = readYaml('deploy/alertmanager/alertmanager.yml');
    config.templates = [join(root, 'deploy/alertmanager/templates/*.tmpl')];
    writeFileSync(join(scratch, 'alertmanager.yml'), stringify(config));
    const { ok, output } = run('amtool', ['check-config', join(scratch, 'alertmanager.yml')]);
    assert.ok(ok, output);
  });

  test('the templates the receivers call are defined', () => {
    for (const name of ['seismo.title', 'seismo.message', 'seismo.grafana_url']) {
      const { ok, output } = run('amtool', [
        'template',
        'render',
        `--template.glob=${join(root, 'deploy/alertmanager/templates/*.tmpl')}`,
        `--template.text={{ template "${name}" . }}`,
      ]);
      assert.ok(ok, `${name}: ${output}`);
    }
  });

  test('amtool routes an owned critical alert to on-call and the team', () => {
    const { ok, output } = run('amtool', [
      'config',
      'routes',
      'test',
      '--config.file=deploy/alertmanager/alertmanager.yml',
      'severity=critical',
      'team=payments',
    ]);
    assert.ok(ok, output);
    assert.equal(
      output.split('\n').find((line) => line.includes('team-')),
      'oncall,team-payments'
    );
  });
});
