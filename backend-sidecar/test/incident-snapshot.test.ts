import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  IncidentEngine,
  IncidentInputError,
  type IncidentEvaluation,
  type IntervalState,
} from '../src/incidents/index.js';

const EDGE = 'checkoutservice->shippingservice';

/** Sustained delay for 20 intervals, then recovery; one verdict per 15 s. */
function verdict(i: number): IntervalState {
  return i <= 20 ? 'anomalous' : 'normal';
}

function step(engine: IncidentEngine, i: number): IncidentEvaluation {
  return engine.evaluate({
    at: 1000 + i * 15,
    entities: { [EDGE]: verdict(i), 'frontend->shippingservice': 'normal' },
  });
}

function strip(e: IncidentEvaluation): unknown {
  return {
    rule: e.rule,
    temperature: e.temperature,
    id: e.incident?.id ?? null,
    severity: e.incident?.maxSeverity ?? null,
  };
}

describe('snapshot and restore', () => {
  const uninterrupted = new IncidentEngine();
  const reference = Array.from({ length: 40 }, (_, k) => step(uninterrupted, k + 1));

  it('continues the same incident after a restore in a new engine', () => {
    const first = new IncidentEngine();
    for (let i = 1; i <= 15; i++) {
      step(first, i);
    }
    const saved = JSON.parse(JSON.stringify(first.snapshot())) as unknown;
    assert.notEqual(first.openIncident, null, 'the incident is open when the snapshot is taken');

    const second = new IncidentEngine();
    second.restore(saved);
    const continued = Array.from({ length: 25 }, (_, k) => step(second, k + 16));
    assert.deepEqual(continued.map(strip), reference.slice(15).map(strip));
    assert.equal(continued.filter((e) => e.rule === 'opened').length, 0, 'no duplicate incident');
    const closed = continued.find((e) => e.rule === 'closed');
    assert.equal(closed?.incident?.id, first.openIncident?.id);
  });

  it('ignores a replay of intervals the snapshot already covers', () => {
    const first = new IncidentEngine();
    for (let i = 1; i <= 15; i++) {
      step(first, i);
    }
    const saved = first.snapshot();
    const second = new IncidentEngine();
    second.restore(saved);
    second.restore(saved);
    const replay = step(second, 15);
    assert.equal(replay.ignored, true);
    assert.equal(replay.rule, 'still_open');
    assert.deepEqual(second.snapshot(), saved);
  });

  it('rebuilds from what the exported series provide and keeps the incident id', () => {
    const engine = new IncidentEngine();
    engine.restore({
      version: 1,
      lastAt: 1225,
      entities: { [EDGE]: { value: 15 } },
      incident: { id: 'inc-1150', openedAt: 1150, maxSeverity: 'SEV2' },
    });
    const next = engine.evaluate({ at: 1240, entities: { [EDGE]: 'anomalous' } });
    assert.equal(next.rule, 'still_open');
    assert.equal(next.incident?.id, 'inc-1150');
    assert.equal(next.incident?.peakTemperature, 16);
    const drained = Array.from({ length: 6 }, (_, k) =>
      engine.evaluate({ at: 1255 + k * 15, entities: { [EDGE]: 'normal' } })
    );
    assert.equal(drained.at(-1)?.rule, 'closed');
    assert.equal(drained.at(-1)?.incident?.id, 'inc-1150');
  });

  it('clamps restored accumulators to the current cap', () => {
    const engine = new IncidentEngine({ cap: 12 });
    engine.restore({ version: 1, lastAt: 10, entities: { a: { value: 20, peak: 20 } }, incident: null });
    assert.equal(engine.snapshot().entities.a?.value, 12);
  });

  it('returns a copy, so later evaluations do not change a taken snapshot', () => {
    const engine = new IncidentEngine();
    step(engine, 1);
    const saved = engine.snapshot();
    step(engine, 2);
    assert.equal(saved.entities[EDGE]?.value, 1);
  });

  it('rejects broken snapshots naming the field', () => {
    const engine = new IncidentEngine();
    const cases: Array<[unknown, string]> = [
      [null, 'snapshot'],
      [{ version: 2 }, 'snapshot.version'],
      [{ version: 1, entities: { a: { value: -1 } } }, 'snapshot.entities.a.value'],
      [{ version: 1, entities: { a: { value: 1, normalStreak: 1.5 } } }, 'snapshot.entities.a.normalStreak'],
      [{ version: 1, lastAt: 100, incident: { id: '', openedAt: 50, maxSeverity: 'SEV2' } }, 'snapshot.incident.id'],
      [
        { version: 1, lastAt: 100, incident: { id: 'x', openedAt: 50, maxSeverity: 'SEV3' } },
        'snapshot.incident.maxSeverity',
      ],
      [
        { version: 1, lastAt: 100, incident: { id: 'x', openedAt: 150, maxSeverity: 'SEV2' } },
        'snapshot.incident.openedAt',
      ],
      [
        { version: 1, lastAt: 100, incident: { id: 'x', openedAt: 50, closedAt: 90, maxSeverity: 'SEV2' } },
        'snapshot.incident.closedAt',
      ],
    ];
    for (const [snapshot, field] of cases) {
      assert.throws(
        () => engine.restore(snapshot),
        (e: unknown) => e instanceof IncidentInputError && e.field === field && e.message.startsWith(field),
        `expected an error on ${field}`
      );
    }
  });
});
