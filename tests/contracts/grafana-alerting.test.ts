import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { loadTopology } from '../../demo/src/topology/loadTopology.js';
import { receiversFor, type PolicyRoute } from './notificationPolicy.js';
import { promtoolSyntaxProblems, undocumentedMetrics } from './promql.js';
import { readText, readYaml, root } from './repoFiles.js';
import { checkSeismoQuery } from './seismoQueryContract.js';

/**
 * Grafana-managed alerting provisioning (provisioning/alerting) in the file format Grafana
 * documents: rule groups with data queries and `__expr__` expressions, contact points, the
 * notification policy tree and templates; plus what the format cannot check: Seismo queries are
 * valid query models, PromQL parses and reads documented series, routing reaches the owning team.
 */
const { groups } = readYaml('provisioning/alerting/rules.yaml');
const { contactPoints } = readYaml('provisioning/alerting/contact-points.yaml');
const { policies } = readYaml('provisioning/alerting/policies.yaml');
const { templates } = readYaml('provisioning/alerting/templates.yaml');
const datasources = new Map<string, string>(
  readYaml('provisioning/datasources/datasources.yaml').datasources.map((ds: any) => [ds.uid, ds.type])
);
const rules: any[] = groups.flatMap((group: any) => group.rules);

const DURATION = /^(\d+(ms|s|m|h|d|w))+$/;
const EXPRESSION_TYPES = new Set(['math', 'reduce', 'resample', 'classic_conditions', 'threshold', 'sql']);
const DETECTION_ALERTS = ['SeismoServiceAnomalous', 'SeismoIncidentSEV1', 'SeismoIncidentSEV2'];

/** refIds an expression reads: `$A` in math, the `expression` of reduce, resample and threshold. */
function inputsOf(model: any): string[] {
  if (model.type === 'math') {
    return [...String(model.expression).matchAll(/\$\{?([A-Za-z][A-Za-z0-9_]*)\}?/g)].map((m) => m[1]!);
  }
  if (model.type === 'classic_conditions') {
    return model.conditions.map((c: any) => c.query.params[0]);
  }
  return [model.expression];
}

describe('Grafana alert rules', () => {
  test('groups and rules have the fields the provisioning format requires', () => {
    for (const group of groups) {
      assert.equal(typeof group.orgId, 'number');
      assert.ok(group.name && group.folder, 'group name and folder are required');
      assert.match(group.interval, DURATION);
    }
    const uids = rules.map((rule) => rule.uid);
    assert.equal(new Set(uids).size, uids.length, 'rule uids must be unique');
    for (const rule of rules) {
      assert.match(rule.uid, /^[a-zA-Z0-9_-]{1,40}$/, `${rule.title}: uid`);
      assert.ok(rule.title, 'title is required');
      assert.match(rule.for, DURATION, `${rule.title}: for`);
      assert.ok(['NoData', 'Alerting', 'OK', 'KeepLast'].includes(rule.noDataState), `${rule.title}: noDataState`);
      assert.ok(['Error', 'Alerting', 'OK', 'KeepLast'].includes(rule.execErrState), `${rule.title}: execErrState`);
      const refIds = rule.data.map((d: any) => d.refId);
      assert.equal(new Set(refIds).size, refIds.length, `${rule.title}: duplicate refIds`);
      assert.ok(refIds.includes(rule.condition), `${rule.title}: condition ${rule.condition} is not a refId`);
    }
  });

  test('queries use provisioned datasources; expressions are known types over existing refIds', () => {
    for (const rule of rules) {
      const refIds = new Set(rule.data.map((d: any) => d.refId));
      for (const data of rule.data) {
        assert.equal(data.model.refId, data.refId, `${rule.title} ${data.refId}: model.refId differs`);
        if (data.datasourceUid === '__expr__') {
          assert.ok(
            EXPRESSION_TYPES.has(data.model.type),
            `${rule.title} ${data.refId}: expression type ${data.model.type}`
          );
          for (const input of inputsOf(data.model)) {
            assert.ok(refIds.has(input), `${rule.title} ${data.refId}: reads unknown refId ${input}`);
          }
          if (data.model.type === 'threshold') {
            assert.ok(['gt', 'lt', 'within_range', 'outside_range'].includes(data.model.conditions[0].evaluator.type));
          }
        } else {
          assert.ok(
            datasources.has(data.datasourceUid),
            `${rule.title} ${data.refId}: datasource ${data.datasourceUid} is not provisioned`
          );
          assert.equal(data.model.datasource.uid, data.datasourceUid);
          assert.ok(data.relativeTimeRange?.from > 0, `${rule.title} ${data.refId}: relativeTimeRange`);
        }
      }
    }
  });

  test('every Seismo query is a valid query model with literal values, as alert rules need', () => {
    const seismoQueries = rules.flatMap((rule) =>
      rule.data
        .filter((d: any) => datasources.get(d.datasourceUid) === 'seismo-anomaly-datasource')
        .map((d: any) => ({ rule, d }))
    );
    assert.ok(seismoQueries.length > 0, 'no rule reads the Seismo datasource');
    for (const { rule, d } of seismoQueries) {
      assert.deepEqual(checkSeismoQuery(d.model, { literalOnly: true }), [], `${rule.title} ${d.refId}`);
    }
  });

  test('every PromQL query parses and reads documented series only', () => {
    const exprs = rules.flatMap((rule) =>
      rule.data
        .filter((d: any) => datasources.get(d.datasourceUid) === 'prometheus')
        .map((d: any) => ({ label: `${rule.title} ${d.refId}`, expr: d.model.expr as string }))
    );
    for (const { label, expr } of exprs) {
      assert.deepEqual(undocumentedMetrics(expr), [], label);
    }
    assert.deepEqual(promtoolSyntaxProblems(exprs), []);
  });

  test('labels route by severity; annotations carry summary, root cause and a dashboard link', () => {
    for (const rule of rules) {
      assert.ok(['critical', 'warning'].includes(rule.labels.severity), `${rule.title}: severity`);
      // Grafana expands $NAME in rule labels from its environment: a template there would vanish.
      assert.doesNotMatch(JSON.stringify(rule.labels), /\$/, `${rule.title}: labels must not contain $`);
      assert.doesNotMatch(JSON.stringify(rule.annotations), /\$\{/, `${rule.title}: annotations must not contain \${`);
      for (const key of ['summary', 'description', 'dashboard_path', 'dashboard_url']) {
        assert.ok(rule.annotations[key], `${rule.title}: annotation ${key} missing`);
      }
      assert.match(rule.annotations.dashboard_path, /^\/(d|a)\//);
    }
    for (const title of DETECTION_ALERTS) {
      assert.ok(rules.find((rule) => rule.title === title)?.annotations.root_cause, `${title}: root_cause missing`);
    }
  });

  test('the same alerts exist as Prometheus rules, with the same severities', () => {
    const prometheusAlerts = new Map<string, any>();
    for (const file of ['deploy/prometheus/rules/seismo-alerts.rules.yaml']) {
      for (const group of readYaml(file).groups) {
        for (const rule of group.rules) {
          prometheusAlerts.set(rule.alert, rule);
        }
      }
    }
    assert.deepEqual(rules.map((rule) => rule.title).sort(), [...prometheusAlerts.keys()].sort());
    for (const rule of rules) {
      const twin = prometheusAlerts.get(rule.title);
      assert.deepEqual(rule.labels, twin.labels, `${rule.title}: labels differ from the Prometheus rule`);
      assert.equal(rule.annotations.dashboard_path, twin.annotations.dashboard_path, `${rule.title}: dashboard_path`);
    }
  });
});

describe('contact points, templates and notification policies', () => {
  const receivers = new Set(contactPoints.map((cp: any) => cp.name));
  const policyRoot = policies[0] as PolicyRoute;

  test('contact points have unique receiver uids and the settings their type requires', () => {
    const uids = contactPoints.flatMap((cp: any) => cp.receivers.map((r: any) => r.uid));
    assert.equal(new Set(uids).size, uids.length);
    const required: Record<string, string[]> = { email: ['addresses'], webhook: ['url'] };
    for (const cp of contactPoints) {
      assert.equal(cp.orgId, 1);
      for (const receiver of cp.receivers) {
        assert.ok(receiver.type in required, `${cp.name}: unexpected type ${receiver.type}`);
        for (const key of required[receiver.type]!) {
          assert.ok(receiver.settings[key], `${cp.name}: ${receiver.type} needs ${key}`);
        }
      }
    }
    assert.ok(
      contactPoints.some((cp: any) => cp.receivers.some((r: any) => r.type === 'webhook')),
      'a webhook contact point is provisioned'
    );
  });

  test('contact points use the Seismo templates, which define what they call and hold no $', () => {
    const text = templates.map((t: any) => t.template).join('\n');
    assert.doesNotMatch(text, /\$/, 'Grafana would expand $ from the environment');
    const defined = new Set([...text.matchAll(/define "([^"]+)"/g)].map((m) => m[1]));
    const called = [...readText('provisioning/alerting/contact-points.yaml').matchAll(/template "([^"]+)"/g)].map(
      (m) => m[1]
    );
    assert.ok(called.length > 0);
    for (const name of called) {
      assert.ok(defined.has(name), `template ${name} is not defined`);
    }
  });

  test('every policy names a provisioned contact point and valid matchers', () => {
    const walk = (route: any) => {
      if (route.receiver) {
        assert.ok(receivers.has(route.receiver), `policy receiver ${route.receiver} is not a contact point`);
      }
      for (const [label, op] of route.object_matchers ?? []) {
        assert.match(label, /^[a-zA-Z_][a-zA-Z0-9_]*$/);
        assert.ok(['=', '!=', '=~', '!~'].includes(op));
      }
      for (const key of ['group_wait', 'group_interval', 'repeat_interval']) {
        if (route[key] !== undefined) {
          assert.match(route[key], DURATION);
        }
      }
      (route.routes ?? []).forEach(walk);
    };
    assert.equal(policies.length, 1);
    walk(policyRoot);
  });

  test('alerts reach on-call when critical or unowned, and the owning team otherwise', () => {
    assert.deepEqual(
      receiversFor(policyRoot, { alertname: 'SeismoIncidentSEV1', severity: 'critical', team: 'payments' }),
      ['seismo-oncall', 'seismo-team-payments']
    );
    assert.deepEqual(
      receiversFor(policyRoot, { alertname: 'SeismoServiceAnomalous', severity: 'warning', team: 'web' }),
      ['seismo-team-web']
    );
    assert.deepEqual(
      receiversFor(policyRoot, { alertname: 'SeismoIncidentSEV2', severity: 'warning', root_cause: 'unranked' }),
      ['seismo-oncall']
    );
    assert.deepEqual(receiversFor(policyRoot, { alertname: 'SeismoSidecarDown', severity: 'critical' }), [
      'seismo-oncall',
    ]);
  });

  test('every team of the demo mesh has a route, in Grafana and in Alertmanager alike', () => {
    const topology = loadTopology(`${root}/demo/topologies/online-boutique.yaml`);
    const teams = [...new Set([...topology.services.values()].map((s) => s.labels.team))]
      .filter((team): team is string => typeof team === 'string' && team !== '')
      .sort();
    assert.ok(teams.length > 0);
    for (const team of teams) {
      assert.deepEqual(
        receiversFor(policyRoot, { severity: 'warning', team }),
        [`seismo-team-${team}`],
        `team ${team}`
      );
    }
    const alertmanager = readYaml('deploy/alertmanager/alertmanager.yml').route as PolicyRoute;
    const cases: Array<Record<string, string>> = [
      { severity: 'critical', team: 'payments' },
      { severity: 'warning', team: 'web' },
      { severity: 'warning' },
      ...teams.map((team) => ({ severity: 'warning', team })),
    ];
    for (const labels of cases) {
      assert.deepEqual(
        receiversFor(alertmanager, labels),
        receiversFor(policyRoot, labels).map((r) => r.replace(/^seismo-/, '')),
        `Alertmanager routes ${JSON.stringify(labels)} differently`
      );
    }
  });
});
