import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from '../src/random.js';
import { downstreamCalls } from '../src/topology/downstreamCalls.js';
import { DEFAULT_MAX_EXPECTED_CALLS, generateTopology } from '../src/topology/generateTopology.js';
import { parseTopology } from '../src/topology/loadTopology.js';
import { topologyToYaml } from '../src/topology/topologyToYaml.js';
import type { Topology } from '../src/topology/types.js';

/** Expected calls per endpoint, computed here independently of the generator and of downstreamCalls. */
function expectedCalls(t: Topology): Map<string, number> {
  const memo = new Map<string, number>();
  const visit = (service: string, endpoint: string, depth: number): number => {
    const key = `${service}/${endpoint}`;
    const known = memo.get(key);
    if (known !== undefined) {
      return known;
    }
    assert.ok(depth < 100, 'call chain too deep: a cycle?');
    const spec = t.services.get(service)!.endpoints.get(endpoint)!;
    const value = spec.calls.reduce((sum, c) => sum + c.probability * (1 + visit(c.service, c.endpoint, depth + 1)), 0);
    memo.set(key, value);
    return value;
  };
  for (const s of t.services.values()) {
    for (const e of s.endpoints.values()) {
      visit(s.name, e.name, 0);
    }
  }
  return memo;
}

/** Kahn's algorithm on the service graph: true when it has no cycle. */
function isAcyclic(t: Topology): boolean {
  const indegree = new Map([...t.services.keys()].map((k) => [k, 0]));
  const edges = new Map<string, Set<string>>();
  for (const s of t.services.values()) {
    const out = new Set<string>();
    for (const e of s.endpoints.values()) {
      for (const c of e.calls) {
        out.add(c.service);
      }
    }
    edges.set(s.name, out);
    for (const target of out) {
      indegree.set(target, (indegree.get(target) ?? 0) + 1);
    }
  }
  const ready = [...indegree].filter(([, d]) => d === 0).map(([k]) => k);
  let seen = 0;
  while (ready.length > 0) {
    const s = ready.pop()!;
    seen += 1;
    for (const target of edges.get(s)!) {
      const d = indegree.get(target)! - 1;
      indegree.set(target, d);
      if (d === 0) {
        ready.push(target);
      }
    }
  }
  return seen === t.services.size;
}

function reachableServices(t: Topology): Set<string> {
  const seen = new Set<string>();
  const stack = t.entrypoints.map((e) => e.service);
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) {
      continue;
    }
    seen.add(s);
    for (const e of t.services.get(s)!.endpoints.values()) {
      stack.push(...e.calls.map((c) => c.service));
    }
  }
  return seen;
}

/** A topology as plain data, with the loader's default for `required` filled in. */
function plain(t: Topology): unknown {
  return {
    name: t.name,
    entrypoints: t.entrypoints,
    services: [...t.services.values()].map((s) => ({
      ...s,
      endpoints: [...s.endpoints.values()].map((e) => ({
        ...e,
        calls: e.calls.map((c) => ({ ...c, required: c.required ?? true })),
      })),
    })),
  };
}

describe('generateTopology', () => {
  const sizes = [1, 2, 3, 10, 57, 250, 1000];
  const generated = new Map(sizes.map((n) => [n, generateTopology({ services: n, seed: 17 })]));

  it('has exactly N services, all calls to existing endpoints, entrypoints on the edge tier', () => {
    for (const [n, t] of generated) {
      assert.equal(t.services.size, n);
      for (const s of t.services.values()) {
        assert.ok(s.endpoints.size >= 1, `${s.name} has endpoints`);
        for (const e of s.endpoints.values()) {
          for (const c of e.calls) {
            assert.ok(
              t.services.get(c.service)?.endpoints.has(c.endpoint),
              `${s.name}/${e.name} -> ${c.service}/${c.endpoint}`
            );
            assert.ok(c.probability > 0 && c.probability <= 1);
          }
          if (s.labels.tier === 'data') {
            assert.equal(e.calls.length, 0, 'data services call nothing');
          }
        }
      }
      assert.ok(t.entrypoints.length > 0);
      for (const e of t.entrypoints) {
        assert.equal(t.services.get(e.service)?.labels.tier, 'edge');
        assert.ok(t.services.get(e.service)!.endpoints.has(e.endpoint));
        assert.ok(e.weight > 0);
      }
    }
  });

  it('is acyclic, with calls only to deeper layers', () => {
    for (const t of generated.values()) {
      assert.ok(isAcyclic(t));
      for (const s of t.services.values()) {
        for (const e of s.endpoints.values()) {
          for (const c of e.calls) {
            assert.ok(Number(t.services.get(c.service)!.labels.layer) > Number(s.labels.layer));
          }
        }
      }
    }
  });

  it('reaches every service from the entrypoints', () => {
    for (const seed of [1, 2, 3]) {
      for (const n of [10, 120, 1000]) {
        const t = n === 1000 && seed === 17 ? generated.get(1000)! : generateTopology({ services: n, seed });
        assert.equal(reachableServices(t).size, n, `n=${n} seed=${seed}`);
      }
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    assert.deepEqual(plain(generateTopology({ services: 250, seed: 17 })), plain(generated.get(250)!));
    const other = generateTopology({ services: 250, seed: 18 });
    assert.notDeepEqual(plain(other), plain(generated.get(250)!));
  });

  it('keeps the expected downstream calls of every endpoint within the documented bound', () => {
    for (const [n, t] of generated) {
      const expected = expectedCalls(t);
      const max = Math.max(...expected.values());
      assert.ok(max <= DEFAULT_MAX_EXPECTED_CALLS + 1e-9, `n=${n}: max expected ${max}`);
      const perEntry = t.entrypoints.map((e) => expected.get(`${e.service}/${e.endpoint}`)!);
      if (n >= 57) {
        // Not vacuous: big meshes do fan out through several tiers.
        assert.ok(Math.max(...perEntry) > 5, `n=${n}: entry requests fan out (${Math.max(...perEntry)})`);
      }
    }
  });

  it('enforces a tight bound that the unbounded graph would exceed', () => {
    const loose = expectedCalls(generateTopology({ services: 300, seed: 4, fanOut: 6, maxExpectedCalls: 10_000 }));
    assert.ok(Math.max(...loose.values()) > 20, 'without the bound, the same graph fans out further');
    const tight = generateTopology({ services: 300, seed: 4, fanOut: 6, maxExpectedCalls: 8 });
    assert.ok(Math.max(...expectedCalls(tight).values()) <= 8 + 1e-9);
    assert.equal(reachableServices(tight).size, 300, 'lowering probabilities keeps every service reachable');
  });

  it('has a mean fan-out of 2 to 4 for non-leaf services', () => {
    for (const n of [57, 250, 1000]) {
      const t = generated.get(n)!;
      const outDegrees = [...t.services.values()]
        .filter((s) => s.labels.tier !== 'data')
        .map((s) => new Set([...s.endpoints.values()].flatMap((e) => e.calls.map((c) => c.service))).size);
      const mean = outDegrees.reduce((a, b) => a + b, 0) / outDegrees.length;
      assert.ok(mean >= 2 && mean <= 4, `n=${n}: mean fan-out ${mean}`);
    }
  });

  it('spreads services over several namespaces and teams, with all three tiers', () => {
    const t = generated.get(1000)!;
    const namespaces = new Set([...t.services.values()].map((s) => s.namespace));
    const teams = new Set([...t.services.values()].map((s) => s.labels.team));
    const tiers = new Set([...t.services.values()].map((s) => s.labels.tier));
    assert.ok(namespaces.size >= 5, `${namespaces.size} namespaces`);
    assert.ok(teams.size >= 8, `${teams.size} teams`);
    assert.deepEqual([...tiers].sort(), ['data', 'edge', 'mid']);
    const three = generateTopology({ services: 100, seed: 1, namespaces: 3 });
    assert.equal(new Set([...three.services.values()].map((s) => s.namespace)).size, 3);
  });

  it('rejects options out of range', () => {
    assert.throws(() => generateTopology({ services: 0, seed: 1 }), /services/);
    assert.throws(() => generateTopology({ services: 1001, seed: 1 }), /services/);
    assert.throws(() => generateTopology({ services: 2.5, seed: 1 }), /services/);
    assert.throws(() => generateTopology({ services: 10, seed: 1, fanOut: 0.5 }), /fanOut/);
    assert.throws(() => generateTopology({ services: 10, seed: 1, maxExpectedCalls: 0 }), /maxExpectedCalls/);
  });
});

describe('downstreamCalls', () => {
  it('matches a Monte Carlo walk of requests through a generated topology', () => {
    const t = generateTopology({ services: 40, seed: 2 });
    const computed = downstreamCalls(t);
    const independent = expectedCalls(t);
    const random = createRandom(99);
    const walk = (service: string, endpoint: string): number =>
      t.services
        .get(service)!
        .endpoints.get(endpoint)!
        .calls.reduce((n, c) => n + (random.next() < c.probability ? 1 + walk(c.service, c.endpoint) : 0), 0);
    for (const entry of t.entrypoints.slice(0, 4)) {
      const key = `${entry.service}/${entry.endpoint}`;
      assert.ok(Math.abs(computed.get(key)!.expected - independent.get(key)!) < 1e-9);
      const runs = 4000;
      let total = 0;
      for (let i = 0; i < runs; i++) {
        total += walk(entry.service, entry.endpoint);
      }
      const expected = computed.get(key)!.expected;
      assert.ok(
        Math.abs(total / runs - expected) <= 0.05 * expected + 0.05,
        `${key}: simulated ${total / runs}, computed ${expected}`
      );
      assert.ok(computed.get(key)!.worstCase >= expected);
    }
  });
});

describe('generated topology YAML', () => {
  it('round-trips a 1,000-service topology through the loader unchanged', () => {
    const t = generateTopology({ services: 1000, seed: 17 });
    const yaml = topologyToYaml(t, { comment: 'generated for a test' });
    assert.ok(yaml.startsWith('# generated for a test\n'));
    const loaded = parseTopology(yaml, 'generated-1000.yaml');
    assert.deepEqual(plain(loaded), plain(t));
  });

  it('round-trips small topologies, including a single service', () => {
    for (const n of [1, 2, 3, 25]) {
      const t = generateTopology({ services: n, seed: 5 });
      assert.deepEqual(plain(parseTopology(topologyToYaml(t), `generated-${n}.yaml`)), plain(t));
    }
  });
});
