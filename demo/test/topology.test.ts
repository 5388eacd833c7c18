import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { callEdges } from '../src/topology/callEdges.js';
import { BUILTIN_DEFAULTS, loadTopology, parseTopology } from '../src/topology/loadTopology.js';
import { TopologyError } from '../src/topology/TopologyError.js';

const FILE = 'topologies/x.yaml';

/** Parses `text` expecting a TopologyError; returns it. */
function topologyError(text: string): TopologyError {
  try {
    parseTopology(text, FILE);
  } catch (err) {
    assert.ok(err instanceof TopologyError, `expected a TopologyError, got ${String(err)}`);
    assert.equal(err.file, FILE);
    assert.ok(err.message.startsWith(`${FILE}:${err.line}:${err.column}: `), err.message);
    return err;
  }
  assert.fail('expected the topology to be rejected');
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('parseTopology: valid files', () => {
  test('applies built-in and file defaults, per-service overrides and call defaults', () => {
    const t = parseTopology(
      lines(
        'name: demo',
        'namespace: shop',
        'defaults: { errorRate: 0.01, payloadBytes: 100, latency: { medianMs: 4, p99Ms: 40 } }',
        'services:',
        '  web:',
        '    labels: { team: web, version: v2 }',
        '    latency: { medianMs: 10 }',
        '    endpoints:',
        '      home:',
        '        parallel: true',
        '        calls:',
        '          - { service: db, endpoint: get, probability: 0.5 }',
        '          - { service: db, endpoint: get, required: false }',
        '  db:',
        '    namespace: data',
        '    endpoints: { get: {} }',
        'entrypoints:',
        '  - { service: web, endpoint: home, weight: 3 }'
      ),
      FILE
    );
    assert.equal(t.name, 'demo');
    const web = t.services.get('web')!;
    assert.equal(web.namespace, 'shop');
    assert.deepEqual(web.labels, { team: 'web', version: 'v2' });
    // Only the median given: the p99 keeps the defaults' tail ratio (40 / 4).
    assert.deepEqual(web.latency, { medianMs: 10, p99Ms: 100 });
    assert.equal(web.errorRate, 0.01);
    assert.equal(web.payloadBytes, 100);
    assert.equal(web.cpuMsPerRequest, BUILTIN_DEFAULTS.cpuMsPerRequest);
    assert.equal(web.memoryBytes, BUILTIN_DEFAULTS.memoryBytes);
    const home = web.endpoints.get('home')!;
    assert.equal(home.parallel, true);
    assert.deepEqual(home.calls, [
      { service: 'db', endpoint: 'get', probability: 0.5, required: true },
      { service: 'db', endpoint: 'get', probability: 1, required: false },
    ]);
    assert.equal(t.services.get('db')!.namespace, 'data');
    assert.deepEqual(t.services.get('db')!.latency, { medianMs: 4, p99Ms: 40 });
    assert.deepEqual(t.entrypoints, [{ service: 'web', endpoint: 'home', weight: 3 }]);
  });

  test('the shipped Online Boutique topology has the upstream services, calls and Locust weights', () => {
    const path = fileURLToPath(new URL('../topologies/online-boutique.yaml', import.meta.url));
    const t = loadTopology(path);
    assert.deepEqual([...t.services.keys()].sort(), [
      'adservice',
      'cartservice',
      'checkoutservice',
      'currencyservice',
      'emailservice',
      'frontend',
      'paymentservice',
      'productcatalogservice',
      'recommendationservice',
      'redis-cart',
      'shippingservice',
    ]);
    const calls = (client: string): string[] =>
      [
        ...new Set(
          callEdges(t)
            .filter((e) => e.client === client)
            .map((e) => e.server)
        ),
      ].sort();
    assert.deepEqual(calls('frontend'), [
      'adservice',
      'cartservice',
      'checkoutservice',
      'currencyservice',
      'productcatalogservice',
      'recommendationservice',
      'shippingservice',
    ]);
    assert.deepEqual(calls('checkoutservice'), [
      'cartservice',
      'currencyservice',
      'emailservice',
      'paymentservice',
      'productcatalogservice',
      'shippingservice',
    ]);
    assert.deepEqual(calls('recommendationservice'), ['productcatalogservice']);
    assert.deepEqual(calls('cartservice'), ['redis-cart']);
    for (const leaf of [
      'adservice',
      'currencyservice',
      'paymentservice',
      'shippingservice',
      'emailservice',
      'productcatalogservice',
      'redis-cart',
    ]) {
      assert.deepEqual(calls(leaf), [], `${leaf} calls nothing`);
    }
    const weights = Object.fromEntries(t.entrypoints.map((e) => [e.endpoint, e.weight]));
    assert.deepEqual(weights, { index: 1, setCurrency: 2, browseProduct: 10, addToCart: 2, viewCart: 3, checkout: 1 });
    assert.ok(t.entrypoints.every((e) => e.service === 'frontend'));
  });
});

describe('parseTopology: errors name file, line, column and the fix', () => {
  test('YAML syntax error carries the parser position', () => {
    const err = topologyError(lines('name: x', 'services:', '  a: { endpoints: { e: {} }', 'entrypoints: []'));
    assert.equal(err.line, 4);
    assert.match(err.message, /invalid YAML/);
  });

  test('duplicate keys are a YAML error at the repeated key', () => {
    const err = topologyError(
      lines(
        'name: x',
        'services:',
        '  a: { endpoints: { e: {} } }',
        '  a: { endpoints: { e: {} } }',
        'entrypoints: [{ service: a, endpoint: e }]'
      )
    );
    assert.equal(err.line, 4);
    assert.match(err.message, /unique/);
  });

  test('a call to an unknown service suggests the closest name and lists the known ones', () => {
    const err = topologyError(
      lines(
        'name: x',
        'services:',
        '  cartservice: { endpoints: { get: {} } }',
        '  frontend:',
        '    endpoints:',
        '      home:',
        '        calls:',
        '          - { service: cartservce, endpoint: get }',
        'entrypoints: [{ service: frontend, endpoint: home }]'
      )
    );
    assert.equal(err.line, 8);
    assert.equal(err.column, 24);
    assert.equal(
      err.message,
      'topologies/x.yaml:8:24: service "frontend" endpoint "home" calls unknown service "cartservce" (did you mean "cartservice"? known: cartservice, frontend)'
    );
  });

  test('a call to an unknown endpoint lists the endpoints of that service', () => {
    const err = topologyError(
      lines(
        'name: x',
        'services:',
        '  b: { endpoints: { getCart: {}, addItem: {} } }',
        '  a: { endpoints: { e: { calls: [ { service: b, endpoint: getCrat } ] } } }',
        'entrypoints: [{ service: a, endpoint: e }]'
      )
    );
    assert.equal(err.line, 4);
    assert.match(
      err.message,
      /unknown endpoint "getCrat" of service "b" \(did you mean "getCart"\? its endpoints: getCart, addItem\)/
    );
  });

  test('a call cycle is rejected with its path, at the call that closes it', () => {
    const err = topologyError(
      lines(
        'name: x',
        'services:',
        '  a:',
        '    endpoints:',
        '      e: { calls: [ { service: b, endpoint: f } ] }',
        '  b:',
        '    endpoints:',
        '      f: { calls: [ { service: c, endpoint: g } ] }',
        '  c:',
        '    endpoints:',
        '      g: { calls: [ { service: a, endpoint: e } ] }',
        'entrypoints: [{ service: a, endpoint: e }]'
      )
    );
    assert.equal(err.line, 11);
    assert.match(err.message, /call cycle a\.e -> b\.f -> c\.g -> a\.e/);
    assert.match(err.message, /recurse forever/);
  });

  test('calls between endpoints of the same service without a loop are fine', () => {
    const t = parseTopology(
      lines(
        'name: x',
        'services:',
        '  a: { endpoints: { e: { calls: [ { service: b, endpoint: f } ] }, z: {} } }',
        '  b: { endpoints: { f: { calls: [ { service: a, endpoint: z } ] } } }',
        'entrypoints: [{ service: a, endpoint: e }]'
      ),
      FILE
    );
    assert.equal(t.services.size, 2);
  });

  test('out-of-range numbers are rejected with the allowed range', () => {
    const cases: Array<[string, RegExp]> = [
      ['errorRate: 1.5', /errorRate must be in \[0, 1\], got 1\.5/],
      ['errorRate: -0.1', /errorRate must be in \[0, 1\], got -0\.1/],
      ['payloadBytes: -1', /payloadBytes must be >= 0, got -1/],
      ['payloadBytes: 1.5', /payloadBytes must be a whole number/],
      ['cpuMsPerRequest: -2', /cpuMsPerRequest must be >= 0/],
      ['memoryBytes: -5', /memoryBytes must be >= 0/],
      ['latency: { medianMs: 0, p99Ms: 3 }', /medianMs must be > 0, got 0/],
      ['latency: { medianMs: 30, p99Ms: 3 }', /p99Ms \(3\) must be >= medianMs \(30\)/],
    ];
    for (const [field, expected] of cases) {
      const err = topologyError(
        lines(
          'name: x',
          'services:',
          `  a: { ${field}, endpoints: { e: {} } }`,
          'entrypoints: [{ service: a, endpoint: e }]'
        )
      );
      assert.equal(err.line, 3, field);
      assert.match(err.message, expected, field);
    }
  });

  test('call probability outside [0, 1] is rejected', () => {
    const err = topologyError(
      lines(
        'name: x',
        'services:',
        '  b: { endpoints: { f: {} } }',
        '  a: { endpoints: { e: { calls: [ { service: b, endpoint: f, probability: 2 } ] } } }',
        'entrypoints: [{ service: a, endpoint: e }]'
      )
    );
    assert.equal(err.line, 4);
    assert.match(err.message, /probability must be in \[0, 1\], got 2/);
  });

  test('a typo in a key is reported with a suggestion', () => {
    const err = topologyError(
      lines(
        'name: x',
        'services:',
        '  a:',
        '    latncy: { medianMs: 3 }',
        '    endpoints: { e: {} }',
        'entrypoints: [{ service: a, endpoint: e }]'
      )
    );
    assert.equal(err.line, 4);
    assert.equal(err.column, 5);
    assert.match(err.message, /service "a": unknown key "latncy" \(did you mean "latency"\?\)/);
  });

  test('wrong types say what was found', () => {
    const err = topologyError(
      lines(
        'name: x',
        'services:',
        '  a: { memoryBytes: 64Mi, endpoints: { e: {} } }',
        'entrypoints: [{ service: a, endpoint: e }]'
      )
    );
    assert.match(err.message, /memoryBytes must be a number, got string "64Mi"/);
    const err2 = topologyError(lines('name: x', 'services: [a, b]', 'entrypoints: []'));
    assert.match(err2.message, /services must be a mapping/);
    const err3 = topologyError(
      lines(
        'name: x',
        'services:',
        '  a: { endpoints: { e: { parallel: yes please } } }',
        'entrypoints: [{ service: a, endpoint: e }]'
      )
    );
    assert.match(err3.message, /parallel must be true or false/);
  });

  test('entrypoints must exist and reference known endpoints', () => {
    const empty = topologyError(lines('name: x', 'services:', '  a: { endpoints: { e: {} } }', 'entrypoints: []'));
    assert.equal(empty.line, 4);
    assert.match(empty.message, /entrypoints is empty/);
    const missing = topologyError(lines('name: x', 'services:', '  a: { endpoints: { e: {} } }'));
    assert.match(missing.message, /missing required key "entrypoints"/);
    const unknown = topologyError(
      lines(
        'name: x',
        'services:',
        '  a: { endpoints: { e: {} } }',
        'entrypoints:',
        '  - { service: a, endpoint: home }'
      )
    );
    assert.equal(unknown.line, 5);
    assert.match(unknown.message, /entrypoint 1 references unknown endpoint "home" of service "a"/);
    const zero = topologyError(
      lines(
        'name: x',
        'services:',
        '  a: { endpoints: { e: {} } }',
        'entrypoints:',
        '  - { service: a, endpoint: e, weight: 0 }'
      )
    );
    assert.match(zero.message, /weight must be > 0/);
  });

  test('service and endpoint names must be usable as DNS labels and URL paths', () => {
    const err = topologyError(
      lines(
        'name: x',
        'services:',
        '  Front_End: { endpoints: { e: {} } }',
        'entrypoints: [{ service: Front_End, endpoint: e }]'
      )
    );
    assert.equal(err.line, 3);
    assert.match(err.message, /service name "Front_End" is not allowed \(use lowercase letters/);
    const err2 = topologyError(
      lines(
        'name: x',
        'services:',
        '  a: { endpoints: { "a/b": {} } }',
        'entrypoints: [{ service: a, endpoint: "a/b" }]'
      )
    );
    assert.match(err2.message, /endpoint name "a\/b" is not allowed/);
  });

  test('an empty file and a service without endpoints are explained', () => {
    assert.match(topologyError('').message, /topology file is empty/);
    const err = topologyError(lines('name: x', 'services:', '  a: {}', 'entrypoints: [{ service: a, endpoint: e }]'));
    assert.match(err.message, /missing required key "endpoints"/);
  });
});

test('loadTopology reads a file and names it in errors; a missing file is explained', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seismo-topology-'));
  try {
    const path = join(dir, 'bad.yaml');
    writeFileSync(
      path,
      lines(
        'name: x',
        'services:',
        '  a: { errorRate: 2, endpoints: { e: {} } }',
        'entrypoints: [{ service: a, endpoint: e }]'
      )
    );
    assert.throws(
      () => loadTopology(path, 'bad.yaml'),
      (err: Error) => err instanceof TopologyError && err.message.startsWith('bad.yaml:3:')
    );
    assert.throws(
      () => loadTopology(join(dir, 'nope.yaml'), 'nope.yaml'),
      (err: Error) =>
        err instanceof TopologyError && /nope\.yaml: cannot read topology: file not found/.test(err.message)
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
