import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  IncidentEngine,
  edgeEntityId,
  findCallChain,
  splitEdgeEntityId,
  type CallEdge,
  type IncidentEvaluation,
} from '../src/incidents/index.js';

// frontend → checkout → shipping, frontend → shipping, checkout → payment
const GRAPH: CallEdge[] = [
  { client: 'frontend', server: 'checkout' },
  { client: 'checkout', server: 'shipping' },
  { client: 'frontend', server: 'shipping' },
  { client: 'checkout', server: 'payment' },
];

describe('edge entity ids', () => {
  it('round-trip client and server', () => {
    assert.equal(edgeEntityId('checkout', 'shipping'), 'checkout->shipping');
    assert.deepEqual(splitEdgeEntityId('checkout->shipping'), { client: 'checkout', server: 'shipping' });
    assert.equal(splitEdgeEntityId('checkout'), null);
  });
});

describe('findCallChain', () => {
  it('orders services that lie on one caller→callee path, with gaps allowed', () => {
    assert.deepEqual(findCallChain(['shipping', 'frontend'], GRAPH), ['frontend', 'shipping']);
    assert.deepEqual(findCallChain(['payment', 'frontend', 'checkout'], GRAPH), ['frontend', 'checkout', 'payment']);
  });

  it('accepts edges that are consecutive on the chain', () => {
    assert.deepEqual(findCallChain(['frontend->checkout', 'checkout->shipping'], GRAPH), [
      'frontend',
      'checkout',
      'shipping',
    ]);
    assert.deepEqual(findCallChain(['checkout->shipping', 'shipping'], GRAPH), ['checkout', 'shipping']);
  });

  it('rejects siblings, converging edges, skipped edges, unknown names and cycles', () => {
    assert.equal(findCallChain(['shipping', 'payment'], GRAPH), null, 'siblings under checkout');
    assert.equal(findCallChain(['frontend->shipping', 'checkout->shipping'], GRAPH), null, 'two edges into one server');
    assert.equal(findCallChain(['frontend->shipping', 'checkout'], GRAPH), null, 'edge skips over an affected service');
    assert.equal(findCallChain(['frontend', 'ghost'], GRAPH), null);
    assert.equal(findCallChain(['frontend->payment', 'payment'], GRAPH), null, 'edge not in graph');
    const cyclic: CallEdge[] = [...GRAPH, { client: 'shipping', server: 'frontend' }];
    assert.equal(findCallChain(['frontend', 'shipping'], cyclic), null);
  });
});

function sustained(engine: IncidentEngine, entities: string[], callGraph?: CallEdge[]): IncidentEvaluation[] {
  const out: IncidentEvaluation[] = [];
  for (let i = 1; i <= 12; i++) {
    out.push(
      engine.evaluate({ at: i * 15, entities: Object.fromEntries(entities.map((e) => [e, 'anomalous'])), callGraph })
    );
  }
  return out;
}

describe('chain-aware severity', () => {
  it('counts two services on one chain as one fault (SEV2) when chainAware is on', () => {
    const out = sustained(new IncidentEngine({ chainAware: true }), ['checkout', 'shipping'], GRAPH);
    const opened = out.find((e) => e.rule === 'opened');
    assert.equal(opened?.incident?.maxSeverity, 'SEV2');
    assert.deepEqual(opened?.severity.chain, ['checkout', 'shipping']);
    assert.equal(opened?.severity.countedAs, 1);
    assert.match(opened?.summary ?? '', /lie on one call chain checkout → shipping and count as one propagating fault/);
    assert.deepEqual(opened?.incident?.affectedEntities, ['checkout', 'shipping']);
  });

  it('keeps SEV1 for the same services when chainAware is off', () => {
    const out = sustained(new IncidentEngine(), ['checkout', 'shipping'], GRAPH);
    assert.equal(out.find((e) => e.rule === 'opened')?.incident?.maxSeverity, 'SEV1');
  });

  it('keeps SEV1 for faults on two separate paths even when chainAware is on', () => {
    const out = sustained(
      new IncidentEngine({ chainAware: true }),
      ['frontend->shipping', 'checkout->shipping'],
      GRAPH
    );
    const opened = out.find((e) => e.rule === 'opened');
    assert.equal(opened?.incident?.maxSeverity, 'SEV1');
    assert.match(opened?.severity.reason ?? '', /do not lie on one call chain/);
  });

  it('counts separately and says so when no call graph is given', () => {
    const out = sustained(new IncidentEngine({ chainAware: true }), ['checkout', 'shipping']);
    const opened = out.find((e) => e.rule === 'opened');
    assert.equal(opened?.incident?.maxSeverity, 'SEV1');
    assert.match(opened?.severity.reason ?? '', /no call graph was given/);
  });

  it('honours a higher SEV1 minimum', () => {
    const out = sustained(new IncidentEngine({ sev1MinEntities: 3 }), ['a', 'b']);
    assert.equal(out.find((e) => e.rule === 'opened')?.incident?.maxSeverity, 'SEV2');
    const three = sustained(new IncidentEngine({ sev1MinEntities: 3 }), ['a', 'b', 'c']);
    assert.equal(three.find((e) => e.rule === 'opened')?.incident?.maxSeverity, 'SEV1');
  });
});
