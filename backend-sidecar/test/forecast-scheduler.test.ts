import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RefitScheduler, type Refittable } from '../src/forecast/RefitScheduler.js';
import { FakeClock } from './forecast-fixtures.js';

/** A target whose refit takes `cost` ms of the fake clock. */
class Stub implements Refittable {
  readonly target: { id: string };
  last: number | undefined;
  refits = 0;
  constructor(
    id: string,
    private readonly clock: FakeClock,
    public cost: number,
    public trustValue = 1,
    last?: number
  ) {
    this.target = { id };
    this.last = last;
  }
  lastRefitAt(): number | undefined {
    return this.last;
  }
  trust(): number {
    return this.trustValue;
  }
  refit(): void {
    this.clock.t += this.cost;
    this.last = this.clock.t;
    this.refits++;
  }
}

const OPTIONS = { budgetMs: 100, minIntervalMs: 1_000, staleAfterMs: 60_000, initialCostMs: 10 };

describe('RefitScheduler', () => {
  it('stays within the budget using measured costs and defers the rest', async () => {
    const clock = new FakeClock();
    const s = new RefitScheduler({ ...OPTIONS, clock });
    const targets = ['a', 'b', 'c', 'd', 'e'].map((id) => new Stub(id, clock, 30));
    const report = await s.runCycle(targets);
    // 30 + 30 + 30 = 90; a fourth (expected 30 from the measured mean) would reach 120.
    assert.deepEqual(
      report.refitted.map((r) => r.id),
      ['a', 'b', 'c']
    );
    assert.deepEqual(report.deferred, ['d', 'e']);
    assert.equal(report.spentMs, 90);
    assert.ok(report.spentMs <= report.budgetMs);
    assert.equal(s.expectedCost('a'), 30);
    // Next cycle: the never-fitted ones come first; the fresh ones are too recent to refit.
    clock.t += 500;
    const next = await s.runCycle(targets);
    assert.deepEqual(
      next.refitted.map((r) => r.id),
      ['d', 'e']
    );
    assert.deepEqual(next.deferred, []);
  });

  it('refits the most stale and least trusted first', () => {
    const clock = new FakeClock();
    clock.t = 200_000;
    const s = new RefitScheduler({ ...OPTIONS, clock });
    const fresh = new Stub('fresh', clock, 5, 1, 199_500); // too recent: not eligible
    const trusted = new Stub('trusted-stale', clock, 5, 1, 140_000); // 1.0 stale + 0 distrust
    const distrusted = new Stub('distrusted', clock, 5, 0.1, 170_000); // 0.5 stale + 0.9 distrust
    const old = new Stub('old', clock, 5, 0.8, 20_000); // 3.0 stale + 0.2
    const never = new Stub('never', clock, 5, 0);
    const order = s.plan([fresh, trusted, distrusted, old, never]).map((t) => t.target.id);
    assert.deepEqual(order, ['never', 'old', 'distrusted', 'trusted-stale']);
  });

  it('does not let cheap targets starve an expensive one at the top', async () => {
    const clock = new FakeClock();
    const s = new RefitScheduler({ ...OPTIONS, clock });
    const big = new Stub('big', clock, 80);
    const small = ['s1', 's2', 's3'].map((id) => new Stub(id, clock, 10));
    const first = await s.runCycle([big, ...small]);
    // big ran first (80), then s1 (expected 80, the mean of what is known) does not fit.
    assert.deepEqual(
      first.refitted.map((r) => r.id),
      ['big']
    );
    assert.deepEqual(first.deferred, ['s1', 's2', 's3']);
  });

  it('makes progress when a single refit exceeds the whole budget, and reports the overrun', async () => {
    const clock = new FakeClock();
    const s = new RefitScheduler({ ...OPTIONS, clock });
    const huge = new Stub('huge', clock, 250);
    const other = new Stub('other', clock, 10);
    const report = await s.runCycle([huge, other]);
    assert.deepEqual(report.refitted, [{ id: 'huge', ms: 250 }]);
    assert.deepEqual(report.deferred, ['other']);
    assert.ok(report.spentMs > report.budgetMs);
  });

  it('smooths measured costs per target', async () => {
    const clock = new FakeClock();
    const s = new RefitScheduler({ ...OPTIONS, clock, minIntervalMs: 0, costSmoothing: 0.5 });
    const t = new Stub('t', clock, 20);
    await s.runCycle([t]);
    t.cost = 40;
    clock.t += 10;
    await s.runCycle([t]);
    assert.equal(s.expectedCost('t'), 30);
  });

  it('rejects bad options by name', () => {
    const clock = new FakeClock();
    assert.throws(
      () => new RefitScheduler({ ...OPTIONS, clock, budgetMs: -1 }),
      /budgetMs must be a finite number >= 0/
    );
    assert.throws(() => new RefitScheduler({ ...OPTIONS, clock, staleAfterMs: 0 }), /staleAfterMs/);
  });
});
