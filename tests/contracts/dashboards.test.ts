import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { findPlugins } from './pluginJson.js';
import { promtoolSyntaxProblems, undocumentedMetrics, withSampleVariables } from './promql.js';
import { filesIn, readJson, readYaml, root } from './repoFiles.js';
import { checkSeismoQuery } from './seismoQueryContract.js';

/**
 * The provisioned dashboards (dashboards/*.json) reference only panel types that exist (Seismo's
 * own or Grafana's built-ins), only provisioned datasources, valid Seismo queries, PromQL that
 * parses and names documented series, and template variables they declare.
 */
const BUILT_IN_PANELS = new Set([
  'alertlist',
  'annolist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashlist',
  'datagrid',
  'flamegraph',
  'gauge',
  'geomap',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'nodeGraph',
  'piechart',
  'row',
  'stat',
  'state-timeline',
  'status-history',
  'table',
  'text',
  'timeseries',
  'traces',
  'trend',
  'xychart',
]);
const SPECIAL_DATASOURCES = new Set(['-- Mixed --', '-- Grafana --', '-- Dashboard --']);
const GRAFANA_VARIABLES = new Set([
  '__rate_interval',
  '__interval',
  '__interval_ms',
  '__range',
  '__range_s',
  '__from',
  '__to',
  '__dashboard',
  '__org',
  '__user',
]);

const files = filesIn('dashboards', '.json');
const dashboards = files.map((file) => ({ file, json: readJson(file) }));
const ownPanels = new Set(
  findPlugins(join(root, 'src'))
    .filter((p) => p.json.type === 'panel')
    .map((p) => p.json.id)
);
const provisioned = new Map<string, string>(
  readYaml('provisioning/datasources/datasources.yaml').datasources.map((ds: any) => [ds.uid, ds.type])
);

/** Every panel, including those nested in collapsed rows. */
const panelsOf = (dashboard: any): any[] =>
  (dashboard.panels ?? []).flatMap((panel: any) => [panel, ...(panel.panels ?? [])]);

/** Every query of a dashboard, with where it sits: panel targets and annotation targets. */
function queriesOf(dashboard: any): Array<{ where: string; datasource: any; query: any }> {
  const queries = panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target: any) => ({
      where: `panel "${panel.title}" ${target.refId}`,
      datasource: target.datasource ?? panel.datasource,
      query: target,
    }))
  );
  for (const annotation of dashboard.annotations?.list ?? []) {
    if (annotation.target) {
      queries.push({
        where: `annotation "${annotation.name}"`,
        datasource: annotation.datasource,
        query: annotation.target,
      });
    }
  }
  return queries;
}

describe('dashboards', () => {
  test('the four dashboards exist with unique uids and titles, tagged for the dashboard links', () => {
    assert.deepEqual(dashboards.map((d) => d.json.uid).sort(), [
      'seismo-incident',
      'seismo-model-health',
      'seismo-overview',
      'seismo-service',
    ]);
    assert.equal(new Set(dashboards.map((d) => d.json.title)).size, dashboards.length);
    for (const { file, json } of dashboards) {
      assert.ok(json.tags.includes('seismo'), `${file}: tag seismo missing`);
      assert.equal(typeof json.schemaVersion, 'number', `${file}: schemaVersion missing`);
      assert.equal(json.id, undefined, `${file}: a provisioned dashboard must not carry a database id`);
    }
  });

  test("every panel type is one of Seismo's panels or a Grafana built-in, and Seismo's panels are used", () => {
    const used = new Set<string>();
    for (const { file, json } of dashboards) {
      for (const panel of panelsOf(json)) {
        used.add(panel.type);
        assert.ok(
          ownPanels.has(panel.type) || BUILT_IN_PANELS.has(panel.type),
          `${file}: unknown panel type ${panel.type}`
        );
      }
    }
    for (const id of ownPanels) {
      assert.ok(used.has(id), `no dashboard uses ${id}`);
    }
  });

  test('panels have unique ids and non-overlapping positions on the 24-column grid', () => {
    for (const { file, json } of dashboards) {
      const panels = panelsOf(json);
      assert.equal(new Set(panels.map((p) => p.id)).size, panels.length, `${file}: duplicate panel ids`);
      for (const [i, a] of panels.entries()) {
        const g = a.gridPos;
        assert.ok(
          g && g.w > 0 && g.h > 0 && g.x >= 0 && g.x + g.w <= 24,
          `${file}: panel "${a.title}" has no valid gridPos`
        );
        for (const b of panels.slice(i + 1)) {
          const h = b.gridPos;
          const overlap = g.x < h.x + h.w && h.x < g.x + g.w && g.y < h.y + h.h && h.y < g.y + g.h;
          assert.ok(!overlap, `${file}: panels "${a.title}" and "${b.title}" overlap`);
        }
      }
    }
  });

  test('every datasource reference is provisioned, with the provisioned type', () => {
    for (const { file, json } of dashboards) {
      const refs = [
        ...panelsOf(json).map((p) => ({ where: `panel "${p.title}"`, ds: p.datasource })),
        ...queriesOf(json).map((q) => ({ where: q.where, ds: q.datasource })),
        ...(json.templating?.list ?? []).map((v: any) => ({ where: `variable ${v.name}`, ds: v.datasource })),
      ].filter((ref) => ref.ds);
      for (const { where, ds } of refs) {
        if (SPECIAL_DATASOURCES.has(ds.uid)) {
          continue;
        }
        assert.ok(provisioned.has(ds.uid), `${file}: ${where} uses datasource uid ${ds.uid}, which is not provisioned`);
        assert.equal(provisioned.get(ds.uid), ds.type, `${file}: ${where} gives type ${ds.type} for ${ds.uid}`);
      }
    }
  });

  test('every Seismo query is a valid query model', () => {
    let count = 0;
    for (const { file, json } of dashboards) {
      for (const { where, datasource, query } of queriesOf(json)) {
        if (datasource?.type === 'seismo-anomaly-datasource') {
          count++;
          assert.deepEqual(checkSeismoQuery(query), [], `${file}: ${where}`);
        }
      }
    }
    assert.ok(count >= 20, `only ${count} Seismo queries: the dashboards should use the Seismo query model`);
  });

  test('every PromQL query parses and reads only documented seismo_* series', () => {
    const exprs: Array<{ label: string; expr: string }> = [];
    for (const { file, json } of dashboards) {
      for (const { where, datasource, query } of queriesOf(json)) {
        if (datasource?.type === 'prometheus') {
          assert.deepEqual(
            undocumentedMetrics(query.expr),
            [],
            `${file}: ${where} reads series docs/metrics.md does not define`
          );
          exprs.push({ label: `${file}: ${where}`, expr: withSampleVariables(query.expr) });
        }
      }
      for (const variable of json.templating?.list ?? []) {
        assert.deepEqual(undocumentedMetrics(String(variable.query)), [], `${file}: variable ${variable.name}`);
      }
    }
    assert.deepEqual(promtoolSyntaxProblems(exprs), []);
  });

  test('every template variable a query uses is declared', () => {
    for (const { file, json } of dashboards) {
      const declared = new Set((json.templating?.list ?? []).map((v: any) => v.name));
      const text = JSON.stringify([...queriesOf(json).map((q) => q.query), json.templating?.list ?? []]);
      for (const match of text.matchAll(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
        const name = match[1]!;
        assert.ok(declared.has(name) || GRAFANA_VARIABLES.has(name), `${file}: $${name} is not declared`);
      }
    }
  });

  test('the contract checks catch mistakes', () => {
    assert.match(checkSeismoQuery({ queryType: 'anomalyScore', servce: 'x' }).join(), /field "servce"/);
    assert.match(checkSeismoQuery({ queryType: 'incidents', incidentView: 'table' }).join(), /not one of/);
    assert.match(
      checkSeismoQuery({ queryType: 'signal', scope: 'edge', client: 'a', signal: 'x' }).join(),
      /server is required/
    );
    assert.match(checkSeismoQuery({ queryType: 'promql' }).join(), /not one of/);
    assert.match(
      checkSeismoQuery({ queryType: 'anomalyScore', service: '$service' }, { literalOnly: true }).join(),
      /template variable/
    );
    assert.deepEqual(
      undocumentedMetrics('rate(seismo_cycle_duration_seconds_bucket[5m]) + seismo_nodejs_heap_bytes'),
      []
    );
    assert.deepEqual(undocumentedMetrics('seismo_service_anomaly_scores{service="seismo_x"}'), [
      'seismo_service_anomaly_scores',
    ]);
    assert.equal(promtoolSyntaxProblems([{ label: 'broken', expr: 'sum(rate(x[5m])' }]).length, 1);
  });
});

describe('dashboard provisioning', () => {
  test('the provider loads files into the Seismo folder, read-only', () => {
    const { apiVersion, providers } = readYaml('provisioning/dashboards/seismo.yaml');
    assert.equal(apiVersion, 1);
    assert.equal(providers.length, 1);
    const [provider] = providers;
    assert.equal(provider.type, 'file');
    assert.equal(provider.folder, 'Seismo');
    assert.equal(provider.allowUiUpdates, false);
    assert.match(provider.options.path, /^\//);
  });
});
