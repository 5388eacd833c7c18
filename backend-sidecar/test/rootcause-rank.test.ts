import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CANONICAL_SIGNALS } from '../src/signals/index.js';
import {
  RootCauseInputError,
  rankRootCauses,
  roleOfSignal,
  type RootCauseInput,
  type ServiceAnomaly,
  type SignalDeviation,
  type SignalRole,
} from '../src/rootcause/index.js';

const T = 1_700_000_000;
const STEP = 60;
const N = 24;
const ALERT_INDEX = 12;
const timestamps = Array.from({ length: N }, (_, i) => T + i * STEP);
const alertTime = T + ALERT_INDEX * STEP;
// The evaluation's window: two steps before the alert, eight after.
const OPTIONS = { lookbackSeconds: 2 * STEP, lookaheadSeconds: 8 * STEP };

/** A deviation series: `base` everywhere, `level` from index `from` on (to `to`, exclusive). */
function dev(level: number, from: number, to = N, base = 0.2): number[] {
  return timestamps.map((_, i) => (i >= from && i < to ? level : base));
}

function sig(role: SignalRole, deviation: number[], badDirection: 'up' | 'down' | 'both' = 'up'): SignalDeviation {
  return { role, badDirection, deviation };
}

function quiet(): ServiceAnomaly {
  return { signals: { cpu: sig('resource', dev(0, 0)), latency_p95: sig('latency', dev(0, 0)) } };
}

function rankOf(result: ReturnType<typeof rankRootCauses>, service: string): number {
  return result.candidates.find((c) => c.service === service)?.rank ?? -1;
}

describe('rankRootCauses: propagation along the call graph', () => {
  const graph = [
    { client: 'frontend', server: 'checkout' },
    { client: 'checkout', server: 'shipping' },
    { client: 'frontend', server: 'cart' },
  ];

  function delayOnLeaf(leafLevel: number, leafFrom: number, checkoutLevel: number): RootCauseInput {
    return {
      timestamps,
      alertTime,
      callGraph: graph,
      services: {
        frontend: {
          signals: { cpu: sig('resource', dev(0, 0)), latency_p95: sig('latency', dev(5, ALERT_INDEX + 2)) },
        },
        checkout: {
          signals: {
            cpu: sig('resource', dev(0, 0)),
            latency_p95: sig('latency', dev(checkoutLevel, ALERT_INDEX + 1)),
          },
        },
        shipping: {
          signals: { cpu: sig('resource', dev(0, 0)), latency_p95: sig('latency', dev(leafLevel, leafFrom)) },
        },
        cart: quiet(),
      },
    };
  }

  it('ranks a slow leaf first although its callers deviate as much, and names the onset order', () => {
    // The leaf's own deviation (5) is smaller than its caller's (6): only the order decides.
    const result = rankRootCauses(delayOnLeaf(5, ALERT_INDEX, 6), OPTIONS);
    const first = result.candidates[0];
    assert.equal(first?.service, 'shipping');
    assert.equal(first?.channel, 'symptom');
    assert.equal(first?.onset, T + ALERT_INDEX * STEP);
    assert.deepEqual(first?.onsetOrder.callersAfter, ['checkout']);
    assert.deepEqual(first?.onsetOrder.callersBefore, []);
    assert.match(first?.summary ?? '', /callers anomalous at or after it: checkout/);

    const checkout = result.candidates.find((c) => c.service === 'checkout');
    assert.equal(checkout?.explainedBy?.service, 'shipping');
    assert.equal(checkout?.explainedBy?.confidence, 1);
    assert.equal(checkout?.score, 0);
    assert.deepEqual(checkout?.onsetOrder.calleesBefore, ['shipping']);
    const frontend = result.candidates.find((c) => c.service === 'frontend');
    assert.equal(frontend?.explainedBy?.service, 'checkout');
    assert.deepEqual(frontend?.onsetOrder.calleesNormal, ['cart']);
  });

  it('does not let a callee that turned anomalous later explain its caller', () => {
    // Same magnitudes, but the leaf starts three steps after checkout: checkout is the origin.
    const result = rankRootCauses(delayOnLeaf(5, ALERT_INDEX + 4, 6), OPTIONS);
    assert.equal(result.candidates[0]?.service, 'checkout');
    const checkout = result.candidates[0];
    assert.equal(checkout?.explainedBy, null);
    assert.deepEqual(checkout?.onsetOrder.calleesAfter, ['shipping']);
  });
});

describe('rankRootCauses: call edges', () => {
  it('blames the server of slow calls that all its callers see, not the callers', () => {
    const services: Record<string, ServiceAnomaly> = {};
    for (const s of ['frontend', 'checkout', 'cart', 'ads', 'payment']) {
      services[s] = quiet();
    }
    const edge = (client: string, server: string, level: number) => ({
      client,
      server,
      signals: { client_latency: sig('latency', level > 0 ? dev(level, ALERT_INDEX) : dev(0, 0)) },
    });
    const result = rankRootCauses(
      {
        timestamps,
        alertTime,
        callGraph: [
          { client: 'frontend', server: 'cart' },
          { client: 'checkout', server: 'cart' },
          { client: 'frontend', server: 'checkout' },
          { client: 'frontend', server: 'ads' },
          { client: 'checkout', server: 'payment' },
        ],
        services,
        // A network delay on cart's interface: nothing in cart's own metrics, both calls into it
        // slow, and the call into checkout a little slower because checkout waits for cart.
        edges: [
          edge('frontend', 'cart', 50),
          edge('checkout', 'cart', 40),
          edge('frontend', 'checkout', 4),
          edge('frontend', 'ads', 0),
          edge('checkout', 'payment', 0),
        ],
      },
      OPTIONS
    );
    const cart = result.candidates[0];
    assert.equal(cart?.service, 'cart');
    assert.equal(cart?.inEdges.length, 2);
    for (const e of cart?.inEdges ?? []) {
      assert.ok(e.serverShare > 0.5, `${e.client}->${e.server} share ${e.serverShare}`);
    }
    const checkout = result.candidates.find((c) => c.service === 'checkout');
    assert.equal(checkout?.explainedBy?.service, 'cart');
    assert.ok((checkout?.score ?? 1) < 1);
  });
});

describe('rankRootCauses: silent services', () => {
  const graph = [
    { client: 'frontend', server: 'checkout' },
    { client: 'checkout', server: 'payment' },
    { client: 'frontend', server: 'ads' },
  ];
  const dead = () => timestamps.map((_, i) => (i >= ALERT_INDEX ? Number.NaN : 0.1));

  it('ranks a service that stopped reporting first when its callers see its calls fail', () => {
    const result = rankRootCauses(
      {
        timestamps,
        alertTime,
        callGraph: graph,
        services: {
          frontend: { signals: { errors: sig('errors', dev(8, ALERT_INDEX)), cpu: sig('resource', dev(0, 0)) } },
          checkout: { signals: { errors: sig('errors', dev(10, ALERT_INDEX)), cpu: sig('resource', dev(0, 0)) } },
          payment: {
            signals: {
              errors: sig('errors', dead()),
              cpu: sig('resource', dead()),
              rate: sig('traffic', dead(), 'both'),
            },
          },
          ads: quiet(),
        },
        edges: [
          { client: 'frontend', server: 'checkout', signals: { error_ratio: sig('errors', dev(9, ALERT_INDEX)) } },
          { client: 'checkout', server: 'payment', signals: { error_ratio: sig('errors', dev(15, ALERT_INDEX)) } },
        ],
      },
      OPTIONS
    );
    const first = result.candidates[0];
    assert.equal(first?.service, 'payment');
    assert.equal(first?.channel, 'silence');
    assert.equal(first?.silence?.kind, 'no_data');
    assert.equal(first?.silence?.since, T + ALERT_INDEX * STEP);
    assert.deepEqual(first?.silence?.corroboratedBy, ['checkout']);
    assert.equal(first?.unknown, false);
    assert.match(first?.summary ?? '', /stopped reporting/);
  });

  it('does not score silence that no caller corroborates (a scrape outage looks the same)', () => {
    const result = rankRootCauses(
      {
        timestamps,
        alertTime,
        callGraph: graph,
        services: {
          frontend: quiet(),
          checkout: quiet(),
          payment: { signals: { cpu: sig('resource', dead()) } },
          ads: { signals: { cpu: sig('resource', dev(2, ALERT_INDEX)) } },
        },
      },
      OPTIONS
    );
    assert.equal(result.candidates[0]?.service, 'ads');
    const payment = result.candidates.find((c) => c.service === 'payment');
    assert.equal(payment?.silence?.kind, 'no_data');
    assert.equal(payment?.silence?.corroboration, 0);
    assert.equal(payment?.silenceScore, 0);
    assert.notEqual(payment?.channel, 'silence');
    assert.ok((payment?.score ?? 1) < 1);
  });

  it('marks a service without any data as unknown rather than healthy', () => {
    const never = timestamps.map(() => Number.NaN);
    const result = rankRootCauses(
      {
        timestamps,
        alertTime,
        callGraph: [{ client: 'a', server: 'b' }],
        services: {
          a: { signals: { cpu: sig('resource', dev(2, ALERT_INDEX)) } },
          b: { signals: { cpu: sig('resource', never) } },
        },
      },
      OPTIONS
    );
    const b = result.candidates.find((c) => c.service === 'b');
    assert.equal(b?.unknown, true);
    assert.match(b?.summary ?? '', /cannot be judged/);
    assert.equal(result.candidates.find((c) => c.service === 'a')?.unknown, false);
  });
});

describe('rankRootCauses: weighting and order', () => {
  it('discounts an anomaly that was already running before the window', () => {
    const result = rankRootCauses(
      {
        timestamps,
        alertTime,
        callGraph: [],
        services: {
          // Saturated since five steps before the window opened, stronger than the fresh one.
          old: { signals: { cpu: sig('resource', dev(8, ALERT_INDEX - 7)) } },
          fresh: { signals: { cpu: sig('resource', dev(4, ALERT_INDEX)) } },
        },
      },
      OPTIONS
    );
    assert.equal(result.candidates[0]?.service, 'fresh');
    const old = result.candidates.find((c) => c.service === 'old');
    assert.equal(old?.signals[0]?.preexisting, true);
    assert.equal(old?.score, 8 * 0.25);
  });

  it('ignores a one-point blip however large', () => {
    const blip = dev(0, 0);
    blip[ALERT_INDEX + 3] = 500;
    const result = rankRootCauses(
      {
        timestamps,
        alertTime,
        callGraph: [],
        services: {
          blip: { signals: { cpu: sig('resource', blip) } },
          steady: { signals: { cpu: sig('resource', dev(1.5, ALERT_INDEX)) } },
        },
      },
      OPTIONS
    );
    assert.equal(result.candidates[0]?.service, 'steady');
    assert.equal(result.candidates.find((c) => c.service === 'blip')?.score, 0);
  });

  it('orders equal evidence by onset, then by name, whatever the input order', () => {
    const make = (names: string[]): RootCauseInput => {
      const services: Record<string, ServiceAnomaly> = {};
      for (const n of names) {
        services[n] = { signals: { cpu: sig('resource', dev(3, n === 'zeta' ? ALERT_INDEX - 1 : ALERT_INDEX)) } };
      }
      return {
        timestamps,
        alertTime,
        callGraph: names.map((n) => ({ client: 'root', server: n })).concat([]),
        services: { ...services, root: quiet() },
      };
    };
    const forward = rankRootCauses(make(['alpha', 'beta', 'zeta']), OPTIONS).candidates.map((c) => c.service);
    const backward = rankRootCauses(make(['zeta', 'beta', 'alpha']), OPTIONS).candidates.map((c) => c.service);
    assert.deepEqual(forward, ['zeta', 'alpha', 'beta', 'root']);
    assert.deepEqual(backward, forward);
  });
});

describe('rankRootCauses: bad input', () => {
  const base = (): RootCauseInput => ({
    timestamps,
    alertTime,
    callGraph: [{ client: 'a', server: 'b' }],
    services: { a: quiet(), b: quiet() },
  });

  it('names a call-graph service that has no entry', () => {
    const input = base();
    input.callGraph = [{ client: 'a', server: 'ghost' }];
    assert.throws(
      () => rankRootCauses(input, OPTIONS),
      (error: unknown) =>
        error instanceof RootCauseInputError && error.field === 'callGraph[0].server' && /"ghost"/.test(error.message)
    );
  });

  it('rejects empty series and empty grids with the offending field', () => {
    const empty = base();
    empty.services = { a: { signals: { cpu: sig('resource', []) } }, b: quiet() };
    assert.throws(
      () => rankRootCauses(empty, OPTIONS),
      /services\.a\.signals\.cpu\.deviation: is empty but the grid has 24 points/
    );
    const noGrid = base();
    noGrid.timestamps = [];
    assert.throws(() => rankRootCauses(noGrid, OPTIONS), /timestamps: is empty/);
    const short = base();
    short.services = { a: { signals: { cpu: sig('resource', [1, 2, 3]) } }, b: quiet() };
    assert.throws(() => rankRootCauses(short, OPTIONS), /has 3 values but the grid has 24 points/);
  });

  it('rejects edge series for calls outside the graph, uneven grids and windows off the grid', () => {
    const edge = base();
    edge.edges = [{ client: 'b', server: 'a', signals: {} }];
    assert.throws(() => rankRootCauses(edge, OPTIONS), /b -> a, a call that is not in the call graph/);
    const uneven = base();
    uneven.timestamps = timestamps.map((t, i) => (i === 5 ? t + 1 : t));
    assert.throws(() => rankRootCauses(uneven, OPTIONS), /evenly spaced/);
    const late = base();
    late.alertTime = T + 10 * N * STEP;
    assert.throws(() => rankRootCauses(late, OPTIONS), /does not overlap the grid/);
    assert.throws(() => rankRootCauses(base(), { ...OPTIONS, minSteps: 0 }), /options\.minSteps/);
    const role = base();
    role.services = {
      a: { signals: { cpu: { role: 'cpu' as SignalRole, badDirection: 'up', deviation: dev(0, 0) } } },
      b: quiet(),
    };
    assert.throws(() => rankRootCauses(role, OPTIONS), /unknown role "cpu"/);
  });
});

describe('roleOfSignal', () => {
  it('gives every canonical signal a role and free-form names none', () => {
    for (const scope of ['service', 'edge'] as const) {
      for (const name of Object.keys(CANONICAL_SIGNALS[scope])) {
        assert.notEqual(roleOfSignal(scope, name), null, `${scope} ${name}`);
      }
    }
    assert.equal(roleOfSignal('service', 'latency_p95'), 'latency');
    assert.equal(roleOfSignal('service', 'outbound_latency_p95'), 'outbound_latency');
    assert.equal(roleOfSignal('service', 'cpu_usage_percent'), null);
  });
});
