import assert from 'node:assert/strict';

import type { CycleResult } from '../../src/detection/CycleResult.js';
import type { TestService } from './buildTestService.js';
import type { ManualClock } from './ManualClock.js';

/** Lets the scheduler finish its bookkeeping after a cycle (it schedules the next one). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Fires the scheduler's timer `n` times and returns the cycles that ran. */
export async function runCycles(t: TestService, clock: ManualClock, n: number): Promise<CycleResult[]> {
  const results: CycleResult[] = [];
  for (let i = 0; i < n; i++) {
    await settle();
    const next = t.nextCycle();
    assert.ok(clock.fireNext(), 'a cycle is scheduled');
    results.push(await next);
  }
  await settle();
  return results;
}
