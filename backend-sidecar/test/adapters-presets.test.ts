import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  BUILTIN_PRESET_NAMES,
  loadBuiltinPreset,
  parsePreset,
  PresetError,
  renderTemplate,
  resolvePresets,
  validateTemplate,
  type PresetIssue,
} from '../src/adapters/index.js';
import { CANONICAL_SIGNALS } from '../src/signals/index.js';

/** The issues of a preset that must fail validation. */
function issuesOf(text: string, file = 'user.yaml'): PresetIssue[] {
  try {
    parsePreset(text, file);
  } catch (error) {
    assert.ok(error instanceof PresetError, String(error));
    return [...error.issues];
  }
  assert.fail('expected the preset to be rejected');
}

const MINIMAL = `source: mine
signals:
  service:
    request_rate:
      query: sum by (service) (rate(x_total[\${window}]))
`;

describe('built-in presets', () => {
  const expected: Record<string, string[]> = {
    istio: [
      'service.request_rate',
      'service.error_ratio',
      'service.latency_p50',
      'service.latency_p95',
      'service.latency_p99',
      'service.outbound_request_rate',
      'service.outbound_error_ratio',
      'service.outbound_latency_p95',
      'edge.request_rate',
      'edge.error_ratio',
      'edge.latency_p95',
    ],
    kubernetes: [
      'service.cpu_usage',
      'service.memory_working_set',
      'service.network_receive_rate',
      'service.network_transmit_rate',
    ],
    'coroot-node-agent': [
      'service.outbound_request_rate',
      'service.outbound_error_ratio',
      'service.outbound_latency_p95',
      'service.cpu_usage',
      'edge.request_rate',
      'edge.error_ratio',
      'edge.latency_p95',
      'edge.tcp_connect_rate*',
      'edge.tcp_connect_failure_ratio*',
      'edge.tcp_retransmit_rate*',
      'edge.network_rtt*',
    ],
  };
  expected['obi'] = expected['istio'] as string[];
  expected['tempo-servicegraph'] = expected['istio'] as string[];

  for (const name of BUILTIN_PRESET_NAMES) {
    test(`${name} loads, validates and provides its signals`, () => {
      const preset = loadBuiltinPreset(name);
      assert.equal(preset.source, name);
      assert.ok(preset.description.length > 0);
      assert.ok(preset.references.length > 0, 'names the upstream documentation it follows');
      assert.deepEqual(
        preset.signals.map((s) => `${s.scope}.${s.name}${s.canonical ? '' : '*'}`),
        expected[name]
      );
      for (const signal of preset.signals) {
        if (signal.canonical) {
          const spec = (CANONICAL_SIGNALS[signal.scope] as Record<string, { unit: string }>)[signal.name];
          assert.equal(signal.unit, spec?.unit);
        }
        assert.deepEqual(validateTemplate(signal.query), []);
        assert.equal(signal.location.file, `presets/${name}.yaml`);
      }
    });
  }

  test('edge templates of every preset group by its client and server labels', () => {
    for (const name of BUILTIN_PRESET_NAMES) {
      for (const signal of loadBuiltinPreset(name).signals.filter((s) => s.scope === 'edge')) {
        assert.match(signal.query, new RegExp(`\\b${signal.clientLabel}\\b`));
        assert.match(signal.query, new RegExp(`\\b${signal.serverLabel}\\b`));
      }
    }
  });
});

describe('preset validation', () => {
  test('a minimal preset is accepted with default labels', () => {
    const preset = parsePreset(MINIMAL, 'mine.yaml');
    assert.equal(preset.source, 'mine');
    assert.equal(preset.signals[0]?.serviceLabel, 'service');
    assert.equal(preset.signals[0]?.namespaceLabel, undefined);
    assert.deepEqual(preset.signals[0]?.location, { file: 'mine.yaml', line: 5, column: 7 });
  });

  test('an unknown signal name is reported with file, line and the known names', () => {
    const [issue, ...rest] = issuesOf(MINIMAL.replace('request_rate', 'request_rat'));
    assert.deepEqual(rest, []);
    assert.equal(issue?.file, 'user.yaml');
    assert.equal(issue?.line, 4);
    assert.equal(issue?.path, 'signals.service.request_rat');
    assert.match(issue?.message ?? '', /unknown service signal "request_rat" \(known: request_rate, error_ratio/);
  });

  test('an edge-only signal name under service is unknown there', () => {
    const issues = issuesOf(`source: x
signals:
  edge:
    cpu_usage: { query: "sum by (client, server) (x)" }
`);
    assert.match(issues[0]?.message ?? '', /unknown edge signal "cpu_usage"/);
    assert.equal(issues[0]?.line, 4);
  });

  test('a missing template is reported at its signal', () => {
    const issues = issuesOf(`source: x
signals:
  service:
    request_rate:
      labels: { service: app }
`);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.path, 'signals.service.request_rate.query');
    assert.equal(issues[0]?.line, 5);
    assert.match(issues[0]?.message ?? '', /missing/);
  });

  test('bad placeholders are reported at their line and column inside a literal block', () => {
    const text = `source: x
signals:
  service:
    request_rate:
      query: |
        sum by (service) (
          rate(x_total{\${namespace}}[\${windw}])
        )
`;
    const issues = issuesOf(text);
    assert.deepEqual(
      issues.map((i) => [i.line, i.column, i.message.replace(/ \(allowed.*/, '')]),
      [
        [7, 24, 'unknown placeholder ${namespace}'],
        [7, 38, 'unknown placeholder ${windw}'],
      ]
    );
    assert.match(
      new PresetError(issues).message,
      /^user\.yaml:7:24: signals\.service\.request_rate\.query: unknown placeholder/
    );
  });

  test('placeholders in the wrong place, fixed windows and unbalanced brackets are refused', () => {
    const problems = (query: string): string[] => validateTemplate(query).map((p) => p.message);
    assert.match(problems('rate(x[5m])')[0] ?? '', /fixed range window/);
    assert.match(problems('rate(x[1h30m])')[0] ?? '', /fixed range window/);
    assert.deepEqual(problems('max_over_time(rate(x[${window}])[10m:1m])'), []);
    assert.match(problems('rate(x{${window}})')[0] ?? '', /\$\{window\} must be the whole range/);
    assert.match(problems('rate(x{${selector}, a="b"}[${window}])')[0] ?? '', /last item inside label braces/);
    assert.match(problems('sum(x) by (${selector})')[0] ?? '', /last item inside label braces/);
    assert.deepEqual(problems('rate(x{a="b", ${selector}}[${window}])'), []);
    assert.deepEqual(problems('rate(x{${selector}}[${window}:])'), []);
    assert.match(problems('sum(rate(x[${window}])')[0] ?? '', /never closed/);
    assert.match(problems('sum(x])')[0] ?? '', /closes/);
    assert.match(problems('x{a="unterminated}')[0] ?? '', /never closed/);
    // label_replace group references inside strings are not placeholders.
    assert.deepEqual(problems('label_replace(x, "a", "${1}-$2", "b", "(.*)-(.*)")'), []);
    assert.match(problems('label_replace(x, "a", "${window}", "b", "(.*)")')[0] ?? '', /inside a string literal/);
    assert.deepEqual(problems('sum(x) # a comment with [5m] and ${nothing}'), []);
  });

  test('every problem of a file is reported at once', () => {
    const issues = issuesOf(`source: Bad_Name
colour: blue
signals:
  service:
    request_rate:
      query: sum by (service) (rate(x[5m]))
    latency_p95:
      namespaceLabel: ns
      query: sum by (app) (x)
  edge:
    request_rate:
      query: sum by (client, server) (rate(x{\${selector}}[\${window}]))
`);
    const paths = issues.map((i) => `${i.line} ${i.path}`);
    assert.deepEqual(paths.slice(0, 2), ['1 source', '2 colour']);
    // Structural problems stop before template checks; fix the structure, then the templates.
    assert.equal(issues.length, 2);
    const second = issuesOf(`source: ok
signals:
  service:
    request_rate:
      query: sum by (service) (rate(x[5m]))
    latency_p95:
      namespaceLabel: ns
      query: sum by (app) (x)
  edge:
    request_rate:
      query: sum by (client, server) (rate(x{\${selector}}[\${window}]))
`);
    assert.deepEqual(
      second.map((i) => [i.line, i.path, i.message.slice(0, 40)]),
      [
        [5, 'signals.service.request_rate.query', 'fixed range window; write [${window}] so'],
        [7, 'signals.service.latency_p95.namespaceLabel', 'set, but the template has no ${selector}'],
        [8, 'signals.service.latency_p95.query', 'the template never mentions its entity l'],
        [11, 'signals.edge.request_rate.namespaceLabel', 'the template uses ${selector} but no nam'],
      ]
    );
  });

  test('YAML syntax errors carry their position', () => {
    const issues = issuesOf('source: x\nsignals:\n  service:\n    request_rate: {query: "a"\n');
    assert.equal(issues[0]?.path, '');
    assert.ok((issues[0]?.line ?? 0) >= 4, JSON.stringify(issues[0]));
    assert.match(issues[0]?.message ?? '', /^YAML: /);
    const duplicate = issuesOf(`${MINIMAL}source: y\n`);
    assert.match(duplicate[0]?.message ?? '', /YAML: .*unique|YAML: .*duplicate/i);
    assert.equal(duplicate[0]?.line, 6);
  });

  test('wrong value types are reported', () => {
    const issues = issuesOf(`source: x
references: https://example.com
signals:
  service:
    request_rate: "sum(x)"
    error_ratio:
      query: { nested: true }
      labels: { service: "not a label" }
`);
    assert.deepEqual(
      issues.map((i) => [i.line, i.path]),
      [
        [2, 'references'],
        [5, 'signals.service.request_rate'],
        [7, 'signals.service.error_ratio.query'],
        [8, 'signals.service.error_ratio.labels.service'],
      ]
    );
  });

  test('extra signals need scope, unit and description and must not shadow canonical names', () => {
    const issues = issuesOf(`source: x
extraSignals:
  tcp_rtt:
    scope: edge
    query: max by (client, server) (x)
  request_rate:
    scope: edge
    unit: requests/second
    description: shadow
    query: sum by (client, server) (x)
  BadName:
    scope: edge
`);
    assert.deepEqual(
      issues.map((i) => [i.line, i.path]),
      [
        [6, 'extraSignals.request_rate'],
        [11, 'extraSignals.BadName'],
      ]
    );
    const missing = issuesOf(`source: x
extraSignals:
  tcp_rtt:
    scope: edge
    query: max by (client, server) (x)
`);
    assert.match(missing[0]?.message ?? '', /needs scope \(service or edge\), unit and description/);
    const ok = parsePreset(
      `source: x
extraSignals:
  tcp_rtt:
    scope: edge
    unit: seconds
    description: Round trip.
    query: max by (client, server) (x)
`,
      'x.yaml'
    );
    assert.deepEqual(
      ok.signals.map((s) => [s.scope, s.name, s.canonical, s.unit]),
      [['edge', 'tcp_rtt', false, 'seconds']]
    );
  });

  test('a preset without signals or source is refused', () => {
    assert.match(issuesOf('source: x\n')[0]?.message ?? '', /defines no signals/);
    assert.match(
      issuesOf('signals:\n  service:\n    request_rate: { query: "sum by (service) (x)" }\n')[0]?.message ?? '',
      /missing: name the telemetry source/
    );
    assert.match(issuesOf('- a\n- b\n')[0]?.message ?? '', /must be a YAML mapping/);
  });
});

describe('overriding and extending presets', () => {
  test('a user file replaces one query, removes a signal, adds one and retargets a label', () => {
    const preset = parsePreset(
      `extends: istio
signals:
  service:
    latency_p50: null
    latency_p99: null
    request_rate:
      query: |
        sum by (destination_workload) (rate(istio_requests_total{reporter="source", \${selector}}[\${window}]))
    outbound_request_rate:
      labels: { service: source_canonical_service }
      query: sum by (source_canonical_service) (rate(istio_requests_total{reporter="source"}[\${window}]))
    cpu_usage:
      labels: { service: pod_service }
      query: sum by (pod_service) (rate(my_cpu_seconds_total[\${window}]))
`,
      'overrides/istio.yaml'
    );
    assert.equal(preset.source, 'istio');
    assert.deepEqual(preset.files, ['presets/istio.yaml', 'overrides/istio.yaml']);
    const names = preset.signals.map((s) => `${s.scope}.${s.name}`);
    assert.ok(!names.includes('service.latency_p50') && !names.includes('service.latency_p99'));
    assert.ok(names.includes('service.cpu_usage'));
    const rate = preset.signals.find((s) => s.scope === 'service' && s.name === 'request_rate');
    assert.match(rate?.query ?? '', /reporter="source"/);
    assert.equal(rate?.namespaceLabel, 'destination_workload_namespace', 'inherited default');
    assert.equal(rate?.location.file, 'overrides/istio.yaml');
    const outbound = preset.signals.find((s) => s.name === 'outbound_request_rate');
    assert.equal(outbound?.serviceLabel, 'source_canonical_service');
    const edge = preset.signals.find((s) => s.scope === 'edge' && s.name === 'request_rate');
    assert.equal(edge?.location.file, 'presets/istio.yaml', 'untouched signals still point at the base');
  });

  test('a label-only override keeps the base query and is validated against it', () => {
    const issues = issuesOf(`extends: obi
signals:
  service:
    request_rate:
      labels: { service: k8s_deployment_name }
`);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.file, 'presets/obi.yaml', 'the query that lacks the label is in the base');
    assert.match(issues[0]?.message ?? '', /never mentions its entity label "k8s_deployment_name"/);
  });

  test('a new source can be derived from a built-in under another name', () => {
    const preset = parsePreset('extends: obi\nsource: beyla-prod\n', 'beyla.yaml');
    assert.equal(preset.source, 'beyla-prod');
    assert.equal(preset.signals.length, loadBuiltinPreset('obi').signals.length);
  });

  test('extending an unknown preset is an error at the file', () => {
    const issues = issuesOf('extends: linkerd\n', 'mine.yaml');
    assert.equal(issues[0]?.file, 'mine.yaml');
    assert.equal(issues[0]?.path, 'extends');
    assert.match(issues[0]?.message ?? '', /no built-in preset "linkerd"/);
  });

  test('resolvePresets applies user files over the chosen built-ins', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'seismo-presets-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const override = join(dir, 'istio-override.yaml');
    writeFileSync(override, 'extends: istio\nsignals:\n  edge:\n    latency_p95: null\n');
    const extra = join(dir, 'custom.yaml');
    writeFileSync(extra, MINIMAL);
    const presets = resolvePresets({ builtin: ['istio', 'obi'], files: [override, extra] });
    assert.deepEqual(
      presets.map((p) => p.source),
      ['istio', 'obi', 'mine']
    );
    assert.ok(!presets[0]?.signals.some((s) => s.scope === 'edge' && s.name === 'latency_p95'));

    const again = join(dir, 'custom-again.yaml');
    writeFileSync(again, MINIMAL);
    assert.throws(
      () => resolvePresets({ builtin: ['istio'], files: [extra, again] }),
      (e: unknown) => e instanceof PresetError && /also defined by/.test(e.message)
    );
    assert.throws(
      () => resolvePresets({ builtin: ['istio', 'nope'], files: [join(dir, 'missing.yaml')] }),
      (e: unknown) =>
        e instanceof PresetError &&
        e.issues.length === 2 &&
        /no built-in preset "nope"/.test(e.message) &&
        /missing\.yaml: cannot read the file \(ENOENT\)/.test(e.message)
    );
  });
});

describe('rendering templates', () => {
  const istio = loadBuiltinPreset('istio');
  const rate = istio.signals.find((s) => s.scope === 'service' && s.name === 'request_rate')!;

  test('the window is substituted and an unused selector disappears', () => {
    const text = renderTemplate(rate, { windowSeconds: 60 });
    assert.match(text, /rate\(istio_requests_total\{reporter="destination", \}\[60s\]\)/);
    assert.ok(!text.includes('${'));
    assert.match(renderTemplate(rate, { windowSeconds: 2.5 }), /\[2500ms\]/);
  });

  test('namespaces become one escaped regex matcher on the preset label', () => {
    const text = renderTemplate(rate, { windowSeconds: 30, namespaces: ['shop', 'a.b'] });
    assert.match(text, /\{reporter="destination", destination_workload_namespace=~"shop\|a\\\\\.b"\}\[30s\]/);
  });

  test('presets without a selector ignore namespaces', () => {
    const tempo = loadBuiltinPreset('tempo-servicegraph').signals[0]!;
    assert.equal(tempo.namespaceLabel, undefined);
    assert.equal(
      renderTemplate(tempo, { windowSeconds: 60, namespaces: ['x'] }),
      renderTemplate(tempo, { windowSeconds: 60 })
    );
  });

  test('a non-positive window is refused', () => {
    assert.throws(() => renderTemplate(rate, { windowSeconds: 0 }), /positive/);
  });
});
