import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  IncidentEngine,
  IncidentInputError,
  evaluateInterval,
  initialIncidentState,
  resolveIncidentConfig,
  type IncidentEvaluation,
  type IntervalState,
} from '../src/incidents/index.js';

const A: IntervalState = 'anomalous';
const N: IntervalState = 'normal';
const U: IntervalState = 'unknown';

/** Feeds one verdict per interval for a single entity, 15 s apart. */
function feed(engine: IncidentEngine, entity: string, verdicts: IntervalState[], start = 0): IncidentEvaluation[] {
  return verdicts.map((v, i) => engine.evaluate({ at: start + (i + 1) * 15, entities: { [entity]: v } }));
}

function repeat<T>(item: T, n: number): T[] {
  return new Array<T>(n).fill(item);
}

describe('accumulators', () => {
  it('rise by gain, leak by leak, stop at floor 0 and at the cap', () => {
    const engine = new IncidentEngine({
      gain: 1.5,
      leak: 1,
      cap: 12,
      entityThreshold: 6,
      openThreshold: 10,
      closeThreshold: 2,
    });
    const out = feed(engine, 'cart', [A, A, N, N, N, N, ...repeat(A, 10)]);
    const values = out.map((e) => e.entities[0]?.after);
    assert.deepEqual(values, [1.5, 3, 2, 1, 0, 0, 1.5, 3, 4.5, 6, 7.5, 9, 10.5, 12, 12, 12]);
    assert.deepEqual(
      out.slice(2, 6).map((e) => e.entities[0]?.change),
      ['leaked', 'leaked', 'leaked', 'at_floor']
    );
    assert.equal(out[15]?.entities[0]?.change, 'capped');
  });

  it('hold on unknown intervals and report them, whether unknown or not reported', () => {
    const engine = new IncidentEngine();
    feed(engine, 'cart', repeat(A, 5));
    const unknown = engine.evaluate({ at: 100, entities: { cart: U, frontend: N } });
    const absent = engine.evaluate({ at: 115, entities: { frontend: N } });
    for (const evaluation of [unknown, absent]) {
      const cart = evaluation.entities.find((e) => e.entity === 'cart');
      assert.equal(cart?.before, 5);
      assert.equal(cart?.after, 5);
      assert.equal(cart?.change, 'held');
      assert.deepEqual(evaluation.unknownEntities, ['cart']);
    }
    assert.equal(unknown.entities.find((e) => e.entity === 'cart')?.reported, true);
    assert.equal(absent.entities.find((e) => e.entity === 'cart')?.reported, false);
    assert.match(absent.summary, /unknown \(held\): cart/);
    assert.match(absent.entities[0]?.note ?? '', /not reported, 2 intervals\): held at 5\.0/);
  });

  it('forget entities that are no longer reported once they are back at 0', () => {
    const engine = new IncidentEngine();
    engine.evaluate({ at: 15, entities: { old: N, cart: N } });
    const next = engine.evaluate({ at: 30, entities: { cart: N } });
    assert.deepEqual(
      next.entities.map((e) => e.entity),
      ['cart']
    );
    assert.deepEqual(Object.keys(engine.snapshot().entities), ['cart']);
  });

  it('use a per-entity threshold override for severity', () => {
    const engine = new IncidentEngine({ entityThresholds: { payments: 3 } });
    const out = engine.evaluate({ at: 15, entities: { payments: A } });
    assert.equal(out.entities[0]?.threshold, 3);
    feed(engine, 'payments', [A, A], 15);
    const third = engine.snapshot();
    assert.equal(third.entities.payments?.value, 3);
    const evaluation = engine.evaluate({ at: 100, entities: { payments: U } });
    assert.deepEqual(evaluation.severity.overThreshold, ['payments']);
    assert.equal(evaluation.severity.severity, 'SEV2');
  });
});

describe('explanations', () => {
  it('say why a tolerated spike opened nothing', () => {
    const engine = new IncidentEngine();
    const out = feed(engine, 'frontend', [A, A, A, N, N]);
    assert.ok(out.every((e) => e.rule === 'none'));
    assert.equal(
      out[2]?.summary,
      'no incident: temperature 3.0 < open threshold 10.0; frontend at 3.0 (< own threshold 6.0)'
    );
    assert.equal(
      out[4]?.summary,
      'no incident: temperature 0.0 < open threshold 10.0; frontend leaked back to 0 after 2 normal intervals (peak 3.0)'
    );
    assert.deepEqual(
      out.map((e) => [e.entities[0]?.interval, e.entities[0]?.before, e.entities[0]?.after]),
      [
        [A, 0, 1],
        [A, 1, 2],
        [A, 2, 3],
        [N, 3, 1],
        [N, 1, 0],
      ]
    );
  });

  it('carry the numbers of the rule that fired', () => {
    const engine = new IncidentEngine();
    const out = feed(engine, 'shipping', [...repeat(A, 10), ...repeat(N, 3)]);
    const opened = out[9];
    assert.equal(opened?.rule, 'opened');
    assert.equal(opened?.temperatureBefore, 9);
    assert.equal(opened?.temperature, 10);
    assert.equal(
      opened?.summary,
      'opened SEV2 incident inc-150: temperature 10.0 ≥ open threshold 10.0; SEV2: 1 entity over its own threshold (shipping 10.0 ≥ 6.0), counted as 1 < 2'
    );
    assert.equal(out[10]?.rule, 'still_open');
    assert.equal(out[10]?.summary, 'inc-150 still open (SEV2): temperature 8.0 > close threshold 4.0');
    assert.equal(out[12]?.rule, 'closed');
    assert.equal(
      out[12]?.summary,
      'closed inc-150 after 45 s: temperature 4.0 ≤ close threshold 4.0 (peak 10.0, max SEV2)'
    );
    assert.equal(out[12]?.incident?.closedAt, 195);
    assert.equal(engine.openIncident, null);
  });

  it('are plain JSON', () => {
    const engine = new IncidentEngine();
    const [evaluation] = feed(engine, 'x', [A]);
    assert.deepEqual(JSON.parse(JSON.stringify(evaluation)), evaluation);
  });
});

describe('hysteresis', () => {
  // Opens at 10, drops into the band between close (4) and open (10), then hovers there.
  const hover = [...repeat(A, 10), N, N, ...Array.from({ length: 10 }, () => [A, A, N]).flat(), ...repeat(N, 4)];

  it('keeps one incident open while temperature hovers between close and open', () => {
    const engine = new IncidentEngine();
    const out = feed(engine, 'shipping', hover);
    const during = out.slice(10, out.length - 4);
    assert.ok(
      during.every((e) => e.temperature > 4 && e.temperature < 10),
      'the sequence really hovers inside the band'
    );
    assert.ok(during.every((e) => e.rule === 'still_open'));
    assert.equal(out.filter((e) => e.rule === 'opened').length, 1);
    assert.equal(out.filter((e) => e.rule === 'closed').length, 1);
    assert.equal(out.at(-1)?.rule, 'none');
  });

  it('would flap without a gap between the thresholds', () => {
    const engine = new IncidentEngine({ closeThreshold: 9 });
    const out = feed(engine, 'shipping', [...repeat(A, 10), N, A, A, N, A, A, N, A, A]);
    assert.ok(out.filter((e) => e.rule === 'opened').length >= 2, 'a narrow band reopens repeatedly');
  });

  it('does not reopen while a recovered entity wobbles below the open threshold', () => {
    const engine = new IncidentEngine();
    const out = feed(engine, 'shipping', [...repeat(A, 12), ...repeat(N, 4), A, A, A, N, A, A, N]);
    assert.equal(out.filter((e) => e.rule === 'opened').length, 1);
    assert.equal(out.filter((e) => e.rule === 'closed').length, 1);
    assert.ok(out.slice(16).every((e) => e.rule === 'none' && e.temperature < 10));
  });
});

describe('evaluation input', () => {
  it('ignores an interval that is not after the last one and leaves state untouched', () => {
    const engine = new IncidentEngine();
    feed(engine, 'cart', [A, A]);
    const before = engine.snapshot();
    const again = engine.evaluate({ at: 30, entities: { cart: A } });
    assert.equal(again.ignored, true);
    assert.match(again.summary, /not after the last evaluated interval 30/);
    assert.deepEqual(engine.snapshot(), before);
  });

  it('rejects malformed input naming the field', () => {
    const engine = new IncidentEngine();
    assert.throws(() => engine.evaluate({ at: Number.NaN, entities: {} }), {
      name: 'IncidentInputError',
      message: /input\.at/,
    });
    assert.throws(
      () => engine.evaluate({ at: 1, entities: { cart: 'broken' as IntervalState } }),
      (e: unknown) => e instanceof IncidentInputError && e.field === 'input.entities.cart'
    );
    assert.throws(
      () => engine.evaluate({ at: 1, entities: {}, callGraph: [{ client: 'a' } as never] }),
      /input\.callGraph\[0\]/
    );
  });

  it('evaluateInterval does not modify the state it is given', () => {
    const config = resolveIncidentConfig();
    const state = initialIncidentState();
    const frozen = JSON.stringify(state);
    const { state: next } = evaluateInterval(config, state, { at: 15, entities: { cart: A } });
    assert.equal(JSON.stringify(state), frozen);
    assert.equal(next.entities.cart?.value, 1);
  });
});
