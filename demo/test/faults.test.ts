import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { FaultConflictError } from '../src/faults/FaultConflictError.js';
import { FaultController, type FaultActuator } from '../src/faults/FaultController.js';
import { GroundTruthLog } from '../src/faults/GroundTruthLog.js';
import { loadScenario, parseFaultRequest, parseScenario } from '../src/faults/loadScenario.js';
import { readGroundTruth } from '../src/faults/readGroundTruth.js';
import { ScenarioError } from '../src/faults/ScenarioError.js';
import type { FaultSpec } from '../src/faults/types.js';
import { createManualClock } from '../src/mesh/clock.js';
import { loadTopology, parseTopology } from '../src/topology/loadTopology.js';

const topology = parseTopology(
  [
    'name: shop',
    'services:',
    '  frontend:',
    '    endpoints:',
    '      home: { calls: [ { service: shipping, endpoint: quote }, { service: cart, endpoint: get } ] }',
    '  shipping: { endpoints: { quote: {} } }',
    '  cart: { endpoints: { get: {} } }',
    'entrypoints: [{ service: frontend, endpoint: home }]',
  ].join('\n'),
  'shop.yaml'
);

const FILE = 'scenarios/x.yaml';

function scenarioError(text: string): ScenarioError {
  try {
    parseScenario(text, topology, FILE);
  } catch (err) {
    assert.ok(err instanceof ScenarioError, `expected a ScenarioError, got ${String(err)}`);
    assert.ok(err.message.startsWith(`${FILE}:${err.line}:${err.column}: `), err.message);
    return err;
  }
  assert.fail('expected the scenario to be rejected');
}

describe('parseScenario', () => {
  test('reads every fault type with defaults', () => {
    const s = parseScenario(
      [
        'name: all',
        'faults:',
        '  - { id: d, type: delay, edge: { client: frontend, server: shipping }, startSeconds: 10, durationSeconds: 20, delayMs: 200 }',
        '  - { id: a, type: abort, edge: { client: loadgenerator, server: frontend }, percentage: 50 }',
        '  - { id: c, type: cpu, service: cart, hogCores: 0.5 }',
        '  - { id: m, type: memory-leak, service: cart, bytesPerSecond: 1048576 }',
        '  - { id: x, type: dead, service: shipping, mode: refuse }',
        '  - { id: s, type: slow, service: cart, delayMs: 30 }',
      ].join('\n'),
      topology,
      FILE
    );
    assert.equal(s.name, 'all');
    assert.deepEqual(s.faults[0], {
      id: 'd',
      type: 'delay',
      edge: { client: 'frontend', server: 'shipping' },
      startSeconds: 10,
      durationSeconds: 20,
      delayMs: 200,
      percentage: 100,
    });
    assert.deepEqual(s.faults[1], {
      id: 'a',
      type: 'abort',
      edge: { client: 'loadgenerator', server: 'frontend' },
      startSeconds: 0,
      durationSeconds: null,
      httpStatus: 503,
      percentage: 50,
    });
    assert.deepEqual(s.faults[2], {
      id: 'c',
      type: 'cpu',
      service: 'cart',
      startSeconds: 0,
      durationSeconds: null,
      extraCpuMsPerRequest: 0,
      hogCores: 0.5,
    });
    assert.equal((s.faults[3] as { maxBytes: number }).maxBytes, 512 * 1024 * 1024);
    assert.equal((s.faults[4] as { mode: string }).mode, 'refuse');
    assert.equal((s.faults[5] as { delayMs: number }).delayMs, 30);
  });

  test('errors point at the offending field', () => {
    const unknownService = scenarioError(
      ['faults:', '  - id: s', '    type: slow', '    service: crat', '    delayMs: 5'].join('\n')
    );
    assert.equal(unknownService.line, 4);
    assert.match(unknownService.message, /fault "s": unknown service "crat" \(did you mean "cart"\?/);

    const noSuchEdge = scenarioError(
      ['faults:', '  - { id: d, type: delay, delayMs: 5,', '      edge: { client: shipping, server: cart } }'].join(
        '\n'
      )
    );
    assert.equal(noSuchEdge.line, 3);
    assert.match(
      noSuchEdge.message,
      /shipping never calls cart in topology "shop", so the fault would have no effect \(shipping calls: nothing\)/
    );

    const badType = scenarioError(['faults:', '  - { id: d, type: dealy, delayMs: 5 }'].join('\n'));
    assert.match(badType.message, /unknown type "dealy" \(did you mean "delay"\?/);

    const range = scenarioError(
      [
        'faults:',
        '  - { id: d, type: delay, edge: { client: frontend, server: cart }, delayMs: 5, percentage: 150 }',
      ].join('\n')
    );
    assert.match(range.message, /percentage must be in \[0, 100\], got 150/);

    const missing = scenarioError(['faults:', '  - { id: d, type: slow, service: cart }'].join('\n'));
    assert.match(missing.message, /missing required key "delayMs"/);

    const dup = scenarioError(
      [
        'faults:',
        '  - { id: d, type: slow, service: cart, delayMs: 1 }',
        '  - { id: d, type: slow, service: cart, delayMs: 2 }',
      ].join('\n')
    );
    assert.equal(dup.line, 3);
    assert.match(dup.message, /fault id "d" is used twice/);

    const typo = scenarioError(['faults:', '  - { id: d, type: slow, service: cart, delayMS: 1 }'].join('\n'));
    assert.match(typo.message, /unknown key "delayMS" \(did you mean "delayMs"\?\)/);

    const cpuNothing = scenarioError(['faults:', '  - { id: c, type: cpu, service: cart }'].join('\n'));
    assert.match(cpuNothing.message, /needs extraCpuMsPerRequest > 0 or hogCores > 0/);

    const deadMode = scenarioError(['faults:', '  - { id: x, type: dead, service: cart, mode: sleep }'].join('\n'));
    assert.match(deadMode.message, /mode must be "hang" .* or "refuse"/);

    const negative = scenarioError(
      ['faults:', '  - { id: x, type: slow, service: cart, delayMs: 3, startSeconds: -1 }'].join('\n')
    );
    assert.match(negative.message, /startSeconds must be >= 0/);
  });

  test('control API bodies accept one fault, a list or {faults: [...]}, with positions in the body', () => {
    const one = parseFaultRequest('{"id":"s","type":"slow","service":"cart","delayMs":5}', topology);
    assert.equal(one.length, 1);
    const many = parseFaultRequest(
      '[{"id":"a","type":"slow","service":"cart","delayMs":5},{"id":"b","type":"slow","service":"cart","delayMs":6}]',
      topology
    );
    assert.deepEqual(
      many.map((f) => f.id),
      ['a', 'b']
    );
    const wrapped = parseFaultRequest('{"faults":[{"id":"a","type":"dead","service":"cart"}]}', topology);
    assert.equal(wrapped[0]!.type, 'dead');
    assert.throws(
      () => parseFaultRequest('{"id":"s","type":"slow","service":"cart","delayMs":"fast"}', topology),
      (err: Error) =>
        err instanceof ScenarioError &&
        /^request body:1:\d+: fault "s": delayMs must be a number, got string "fast"$/.test(err.message)
    );
    assert.throws(() => parseFaultRequest('{"id":', topology), /request body:1:\d+: invalid YAML/);
    assert.throws(() => parseFaultRequest('', topology), /empty body/);
  });
});

/** Records what the actuator was told, to check side effects happen in step with the schedule. */
function recordingActuator(): FaultActuator & { log: string[] } {
  const log: string[] = [];
  return { log, activate: (f) => log.push(`+${f.id}`), deactivate: (f) => log.push(`-${f.id}`) };
}

const slow = (id: string, startSeconds: number, durationSeconds: number | null): FaultSpec => ({
  id,
  type: 'slow',
  service: 'cart',
  delayMs: 100,
  startSeconds,
  durationSeconds,
});

describe('FaultController with a manual clock', () => {
  test('starts and ends faults on schedule and writes the ground truth at those instants', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seismo-gt-'));
    try {
      const path = join(dir, 'nested', 'gt.jsonl');
      const clock = createManualClock(Date.UTC(2025, 0, 1, 12, 0, 0));
      const actuator = recordingActuator();
      const controller = new FaultController(clock, new GroundTruthLog(path), actuator);
      controller.schedule([
        slow('early', 0, 30),
        slow('late', 60, 60),
        {
          id: 'edge',
          type: 'delay',
          edge: { client: 'frontend', server: 'shipping' },
          delayMs: 200,
          percentage: 100,
          startSeconds: 10,
          durationSeconds: null,
        },
      ]);
      // A fault due now starts before schedule() returns.
      assert.deepEqual(actuator.log, ['+early']);
      assert.equal(controller.active.slowMs('cart'), 100);
      assert.equal(controller.get('late')!.state, 'scheduled');

      clock.advance(10_000);
      assert.equal(controller.active.onEdge('frontend', 'shipping').length, 1);
      clock.advance(20_000); // t = 30 s
      assert.equal(controller.get('early')!.state, 'ended');
      assert.equal(controller.active.slowMs('cart'), 0);
      clock.advance(30_000); // t = 60 s
      assert.equal(controller.get('late')!.state, 'active');
      assert.equal(controller.active.slowMs('cart'), 100);

      // Mid-run the file already tells which faults are in effect.
      const mid = Object.fromEntries(readGroundTruth(path).map((r) => [r.id, r]));
      assert.equal(mid.early!.end, '2025-01-01T12:00:30.000Z');
      assert.equal(mid.late!.end, null);
      assert.equal(mid.edge!.end, null);

      clock.advance(60_000); // t = 120 s
      assert.equal(controller.get('late')!.state, 'ended');
      assert.deepEqual(actuator.log, ['+early', '+edge', '-early', '+late', '-late']);

      controller.stop(); // ends the open-ended fault at the stop instant
      assert.equal(clock.pending(), 0);
      const lines = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.equal(lines.length, 6, 'one start and one end line per fault');
      const final = Object.fromEntries(readGroundTruth(path).map((r) => [r.id, r]));
      assert.deepEqual(final.edge, {
        id: 'edge',
        type: 'delay',
        target: { client: 'frontend', server: 'shipping' },
        start: '2025-01-01T12:00:10.000Z',
        end: '2025-01-01T12:02:00.000Z',
        delayMs: 200,
        percentage: 100,
      });
      assert.deepEqual(final.late, {
        id: 'late',
        type: 'slow',
        target: 'cart',
        start: '2025-01-01T12:01:00.000Z',
        end: '2025-01-01T12:02:00.000Z',
        delayMs: 100,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('remove() ends an active fault now and cancels a planned one without a ground-truth line', () => {
    const clock = createManualClock(0);
    const gt = new GroundTruthLog();
    const controller = new FaultController(clock, gt);
    controller.schedule([slow('now', 0, null), slow('later', 100, 10)]);
    clock.advance(5_000);
    assert.equal(controller.remove('now')!.state, 'ended');
    assert.equal(controller.remove('later')!.state, 'cancelled');
    assert.equal(controller.remove('missing'), undefined);
    clock.advance(200_000);
    assert.equal(controller.get('later')!.state, 'cancelled');
    assert.deepEqual(
      gt.records().map((r) => [r.id, r.start, r.end]),
      [['now', '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:05.000Z']]
    );
    assert.equal(clock.pending(), 0);
  });

  test('overlapping faults add up and ending one keeps the other in force', () => {
    const clock = createManualClock(0);
    const controller = new FaultController(clock, new GroundTruthLog());
    controller.schedule([slow('a', 0, 10), { ...slow('b', 5, 10), delayMs: 50 } as FaultSpec]);
    clock.advance(6_000);
    assert.equal(controller.active.slowMs('cart'), 150);
    clock.advance(5_000);
    assert.equal(controller.active.slowMs('cart'), 50);
  });

  test('ids must be unique across the whole run', () => {
    const controller = new FaultController(createManualClock(0), new GroundTruthLog());
    controller.schedule([slow('a', 0, 1)]);
    assert.throws(() => controller.schedule([slow('b', 0, 1), slow('a', 0, 1)]), FaultConflictError);
    assert.equal(controller.get('b'), undefined, 'nothing of a rejected batch is planned');
  });
});

test('every shipped scenario loads against the topology it names', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const files = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 2);
  for (const file of files) {
    const text = readFileSync(join(root, 'scenarios', file), 'utf8');
    const name = /^topology: (\S+)$/m.exec(text)?.[1];
    assert.ok(name, `${file} names its topology`);
    const topo = loadTopology(join(root, 'topologies', `${name}.yaml`));
    assert.ok(loadScenario(join(root, 'scenarios', file), topo).faults.length > 0, file);
  }
  assert.throws(
    () => parseScenario('topology: sock-shop\nfaults: []\n', topology, FILE),
    /written for topology "sock-shop" but the mesh runs "shop"/
  );
});
