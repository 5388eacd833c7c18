import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { downstreamCalls } from '../src/topology/downstreamCalls.js';
import { loadTopology } from '../src/topology/loadTopology.js';

const TOPOLOGIES = fileURLToPath(new URL('../topologies/', import.meta.url));

describe('shipped topologies', () => {
  const files = readdirSync(TOPOLOGIES).filter((f) => /\.ya?ml$/.test(f));

  it('includes the Sock Shop', () => {
    assert.ok(files.includes('sock-shop.yaml'));
  });

  for (const file of files) {
    it(`${file} loads through the topology loader`, () => {
      const t = loadTopology(join(TOPOLOGIES, file), file);
      assert.ok(t.services.size > 0 && t.entrypoints.length > 0);
      // Bounded amplification: no entry request sets off a storm of calls.
      const calls = downstreamCalls(t);
      for (const e of t.entrypoints) {
        assert.ok(calls.get(`${e.service}/${e.endpoint}`)!.worstCase < 100, `${file} ${e.service}/${e.endpoint}`);
      }
    });
  }
});

describe('Sock Shop topology', () => {
  const t = loadTopology(join(TOPOLOGIES, 'sock-shop.yaml'), 'sock-shop.yaml');
  const edges = new Set<string>();
  for (const s of t.services.values()) {
    for (const e of s.endpoints.values()) {
      for (const c of e.calls) {
        edges.add(`${s.name} -> ${c.service}`);
      }
    }
  }

  it('has the Sock Shop services in one namespace', () => {
    assert.deepEqual([...t.services.keys()].sort(), [
      'carts',
      'carts-db',
      'catalogue',
      'catalogue-db',
      'front-end',
      'orders',
      'orders-db',
      'payment',
      'queue-master',
      'rabbitmq',
      'session-db',
      'shipping',
      'user',
      'user-db',
    ]);
    assert.deepEqual(new Set([...t.services.values()].map((s) => s.namespace)), new Set(['sock-shop']));
  });

  it('has the real service graph', () => {
    assert.deepEqual([...edges].sort(), [
      'carts -> carts-db',
      'catalogue -> catalogue-db',
      'front-end -> carts',
      'front-end -> catalogue',
      'front-end -> orders',
      'front-end -> session-db',
      'front-end -> user',
      'orders -> carts',
      'orders -> orders-db',
      'orders -> payment',
      'orders -> shipping',
      'orders -> user',
      'queue-master -> rabbitmq',
      'shipping -> rabbitmq',
      'user -> user-db',
    ]);
  });

  it('places an order as the real orders service does: look-ups, then payment, shipping, save', () => {
    const create = t.services.get('orders')!.endpoints.get('create')!;
    const order = create.calls.map((c) => `${c.service}.${c.endpoint}`);
    assert.equal(create.parallel, false);
    assert.ok(order.indexOf('payment.authorise') > order.indexOf('carts.getItems'));
    assert.ok(order.indexOf('shipping.ship') > order.indexOf('payment.authorise'));
    assert.equal(order[order.length - 1], 'orders-db.save');
    const checkout = t.services
      .get('front-end')!
      .endpoints.get('checkout')!
      .calls.map((c) => c.service);
    assert.equal(checkout[checkout.length - 1], 'orders');
  });

  it('has a Locust-like mix: browsing dominates, checkout is rare, every entrypoint exists', () => {
    const weight = (endpoint: string): number => t.entrypoints.find((e) => e.endpoint === endpoint)?.weight ?? 0;
    const total = t.entrypoints.reduce((s, e) => s + e.weight, 0);
    assert.ok(weight('home') > weight('catalogue') && weight('catalogue') > weight('checkout'));
    assert.ok(weight('checkout') / total < 0.05);
    // The consumer takes one message per order.
    assert.equal(weight('consume'), weight('checkout'));
  });
});
