import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { IdentityReader } from '../src/adapters/IdentityReader.js';
import { loadBuiltinPreset } from '../src/adapters/loadBuiltinPreset.js';
import { parsePreset } from '../src/adapters/parsePreset.js';
import { PresetError } from '../src/adapters/PresetError.js';
import type { Preset } from '../src/adapters/types.js';
import { createSelectionJudge } from '../src/config/createSelectionJudge.js';
import { shardOf } from '../src/config/shardOf.js';
import type { SelectionConfig } from '../src/config/types.js';
import type { InstantQueryApi, VectorSample } from '../src/prometheus/types.js';

const RULES: SelectionConfig = {
  include: [
    { namespace: { exact: 'shop' }, service: null, labels: {} },
    { namespace: null, service: null, labels: { team: { regex: 'pay.*' } } },
  ],
  exclude: [{ namespace: null, service: { exact: 'loadgen' }, labels: {} }],
  expireAfterSeconds: 3600,
};

describe('selection: which rule, override or shard decided', () => {
  const judge = createSelectionJudge(RULES, { index: 0, count: 1 }, { include: ['legacy'], exclude: ['cart'] });

  it('names the rule for each decision', () => {
    const cases: Array<[object, boolean, string]> = [
      [{ service: 'frontend', namespace: 'shop' }, true, 'matches include rule 1 (namespace shop)'],
      [
        { service: 'ledger', namespace: 'bank', labels: { team: 'payments' } },
        true,
        'matches include rule 2 (team ~pay.*)',
      ],
      [{ service: 'loadgen', namespace: 'shop' }, false, 'matches exclude rule 1 (service loadgen)'],
      [{ service: 'batch', namespace: 'ops' }, false, 'matches no include rule'],
      [{ service: 'cart', namespace: 'shop' }, false, 'excluded by an override made through the API'],
      [{ service: 'legacy', namespace: 'ops' }, true, 'included by an override made through the API'],
    ];
    for (const [identity, monitored, reason] of cases) {
      assert.deepEqual(judge(identity as { service: string }), { monitored, reason });
    }
  });

  it('a service of another shard is never monitored, whatever the overrides', () => {
    const key = 'shop/legacy';
    const other = (shardOf(key, 4) + 1) % 4;
    const decision = createSelectionJudge(
      RULES,
      { index: other, count: 4 },
      { include: ['legacy'], exclude: [] }
    )({ service: 'legacy', namespace: 'shop' });
    assert.equal(decision.monitored, false);
    assert.match(decision.reason, /^belongs to shard \d of 4, not \d$/);
  });
});

describe('preset identity templates', () => {
  it('the istio, obi and kubernetes presets name services with their namespace; kubernetes adds the labels', () => {
    assert.deepEqual(
      ['istio', 'obi', 'kubernetes'].map((name) => {
        const id = loadBuiltinPreset(name).identity;
        return [id?.serviceLabel, id?.namespaceLabel, id?.labelPrefix];
      }),
      [
        ['workload', 'namespace', ''],
        ['service_name', 'service_namespace', ''],
        ['service', 'namespace', 'label_'],
      ]
    );
  });

  it('refuses an identity without its service label or with unknown keys, naming the line', () => {
    const bad = `source: x\nsignals:\n  service:\n    request_rate: { query: 'sum by (service) (x_total)' }\nidentity:\n  query: up\n  servce: job\n`;
    assert.throws(
      () => parsePreset(bad, 'bad.yaml'),
      (e: unknown) =>
        e instanceof PresetError && /bad\.yaml:7:3: identity\.servce: unknown key "servce"/.test(e.message)
    );
    const missing = `source: x\nsignals:\n  service:\n    request_rate: { query: 'sum by (service) (x_total)' }\nidentity:\n  query: up\n  service: app\n`;
    assert.throws(
      () => parsePreset(missing, 'm.yaml'),
      /identity\.query: the template never mentions its service label "app"/
    );
  });

  it('an override can remove or retarget the identity of the preset it extends', () => {
    const removed = parsePreset('extends: istio\nidentity: null\n', 'o.yaml');
    assert.equal(removed.identity, undefined);
    const retargeted = parsePreset('extends: kubernetes\nidentity:\n  labelPrefix: label_app_\n', 'o.yaml');
    assert.equal(retargeted.identity?.labelPrefix, 'label_app_');
    assert.equal(retargeted.identity?.serviceLabel, 'service', 'the rest is inherited');
  });
});

describe('IdentityReader', () => {
  const preset = (source: string, identity: string): Preset =>
    parsePreset(
      `source: ${source}\nsignals:\n  service:\n    request_rate: { query: 'sum by (service) (x_total)' }\n${identity}`,
      `${source}.yaml`
    );
  const istio = preset(
    'first',
    'identity:\n  query: max by (service, ns) (first_info)\n  service: service\n  namespace: ns\n'
  );
  const kube = preset(
    'second',
    'identity:\n  query: max by (service, ns) (second_info)\n  service: service\n  namespace: ns\n  labelPrefix: label_\n'
  );

  it('one query per source; earlier sources win the namespace and each label; prefixes are removed', async () => {
    const queries: string[] = [];
    const client: InstantQueryApi = {
      async query(promql) {
        queries.push(promql);
        const first = promql.includes('first_info');
        const result: VectorSample[] = first
          ? [{ metric: { service: 'cart', ns: 'shop', team: 'one' }, time: 0, value: 1 }]
          : [
              {
                metric: { service: 'cart', ns: 'other', label_team: 'two', label_tier: 'backend', job: 'ksm' },
                time: 0,
                value: 1,
              },
              { metric: { service: 'ledger', ns: 'bank', label_team: 'payments' }, time: 0, value: 1 },
            ];
        return { resultType: 'vector', result, warnings: [] };
      },
    };
    const reading = await new IdentityReader({ client, presets: [istio, kube], windowSeconds: 60 }).read(100);
    assert.equal(queries.length, 2);
    assert.deepEqual(reading.services.get('cart'), {
      service: 'cart',
      namespace: 'shop',
      labels: { team: 'one', tier: 'backend' },
      sources: ['first', 'second'],
    });
    assert.deepEqual(reading.services.get('ledger')?.labels, { team: 'payments' });
  });

  it('a failing source is reported and leaves the others', async () => {
    const client: InstantQueryApi = {
      async query(promql) {
        if (promql.includes('first_info')) {
          throw Object.assign(new Error('connect ECONNREFUSED'), { kind: 'network' });
        }
        return {
          resultType: 'vector',
          result: [{ metric: { service: 'cart', ns: 'shop' }, time: 0, value: 1 }],
          warnings: [],
        };
      },
    };
    const reading = await new IdentityReader({ client, presets: [istio, kube], windowSeconds: 60 }).read(100);
    assert.deepEqual(
      reading.sources.map((s) => [s.source, s.status, s.error?.kind]),
      [
        ['first', 'failed', 'network'],
        ['second', 'ok', undefined],
      ]
    );
    assert.equal(reading.services.get('cart')?.namespace, 'shop');
  });
});
