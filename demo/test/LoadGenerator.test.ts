import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createProfile,
  generateArrivals,
  LatencyHistogram,
  LoadGenerator,
  type SendResult,
} from '../src/load/index.js';
import { createManualClock } from '../src/mesh/clock.js';
import type { EntrypointSpec } from '../src/topology/types.js';

const MIX: EntrypointSpec[] = [
  { service: 'frontend', endpoint: 'home', weight: 3 },
  { service: 'frontend', endpoint: 'cart', weight: 1 },
];
const PROFILE = createProfile({ kind: 'steady', rps: 50 });

/** Lets promise callbacks (responses) run between simulated clock steps. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Moves the manual clock in steps, letting responses settle in between. */
async function advance(clock: ReturnType<typeof createManualClock>, ms: number, stepMs = 10): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    clock.advance(Math.min(stepMs, ms - done));
    await flush();
  }
}

function schedule(seed: number, durationSeconds: number): number[] {
  return [...generateArrivals({ profile: PROFILE, entrypoints: MIX, seed, durationSeconds })].map(
    (a) => a.tSeconds * 1000
  );
}

describe('LoadGenerator', () => {
  it('fires on schedule however slowly send answers (open loop)', async () => {
    const firedAt = async (responseMs: number): Promise<number[]> => {
      const clock = createManualClock();
      const times: number[] = [];
      let start = 0;
      const gen = new LoadGenerator({
        profile: PROFILE,
        entrypoints: MIX,
        seed: 3,
        durationSeconds: 20,
        maxInFlight: 100_000,
        drainTimeoutMs: 60_000,
        clock,
        send: () => {
          times.push(clock.now() - start);
          return new Promise<SendResult>((resolve) =>
            clock.setTimeout(() => resolve({ status: 200, durationMs: responseMs }), responseMs)
          );
        },
      });
      start = clock.now();
      const done = gen.run();
      await advance(clock, 20_000 + responseMs + 100, 50);
      const stats = await done;
      assert.equal(stats.sent, times.length);
      assert.equal(stats.ok, times.length);
      assert.equal(stats.dropped, 0);
      return times;
    };
    const expected = schedule(3, 20);
    const fast = await firedAt(1);
    const slow = await firedAt(10_000);
    assert.equal(fast.length, expected.length);
    assert.equal(slow.length, expected.length, 'a slow system does not slow the arrivals');
    slow.forEach((t, i) =>
      assert.ok(Math.abs(t - expected[i]!) < 0.01, `arrival ${i} at ${t} ms, scheduled ${expected[i]} ms`)
    );
    fast.forEach((t, i) => assert.ok(Math.abs(t - expected[i]!) < 0.01));
  });

  it('drops arrivals beyond the in-flight bound instead of queueing them', async () => {
    const clock = createManualClock();
    const pending: Array<(r: SendResult) => void> = [];
    let calls = 0;
    const gen = new LoadGenerator({
      profile: PROFILE,
      entrypoints: MIX,
      seed: 4,
      durationSeconds: 10,
      maxInFlight: 3,
      clock,
      send: () => {
        calls += 1;
        return new Promise<SendResult>((resolve) => pending.push(resolve));
      },
    });
    const done = gen.run();
    await advance(clock, 2000);
    let stats = gen.stats();
    const arrivedSoFar = schedule(4, 2).length;
    assert.equal(stats.arrivals, arrivedSoFar);
    assert.equal(stats.sent, 3);
    assert.equal(stats.inFlight, 3);
    assert.equal(stats.dropped, arrivedSoFar - 3);
    // Answering frees slots for later arrivals; the dropped ones are not sent late.
    pending.splice(0).forEach((resolve) => resolve({ status: 200, durationMs: 5 }));
    await flush();
    assert.equal(gen.stats().inFlight, 0);
    assert.equal(calls, 3, 'nothing sent until the next arrival comes due');
    await advance(clock, 1000);
    stats = gen.stats();
    assert.equal(stats.sent, 6);
    assert.equal(calls, 6);
    assert.equal(stats.ok, 3);
    assert.equal(stats.arrivals, stats.sent + stats.dropped);
    gen.stop();
    const final = await done;
    assert.equal(final.abandoned, 3);
    assert.equal(final.inFlight, 0);
  });

  it('stop() ends the run at once: no more sends, no timers left, outstanding requests aborted', async () => {
    const clock = createManualClock();
    const signals: AbortSignal[] = [];
    const gen = new LoadGenerator({
      profile: PROFILE,
      entrypoints: MIX,
      seed: 5,
      durationSeconds: 3600,
      clock,
      send: (_entry, signal) => {
        signals.push(signal);
        return new Promise<SendResult>(() => {});
      },
    });
    const done = gen.run();
    await advance(clock, 1000);
    const sentBeforeStop = gen.stats().sent;
    assert.ok(sentBeforeStop > 20);
    gen.stop();
    const stats = await done;
    assert.equal(stats.finished, true);
    assert.equal(stats.sent, sentBeforeStop);
    assert.equal(stats.abandoned, sentBeforeStop);
    assert.ok(Math.abs(stats.elapsedSeconds - 1) < 1e-6);
    assert.equal(clock.pending(), 0, 'no timer keeps the process alive');
    assert.ok(signals.every((s) => s.aborted));
    await advance(clock, 60_000, 1000);
    assert.equal(gen.stats().sent, sentBeforeStop);
    assert.deepEqual(gen.stats(), stats, 'final stats do not move after the end');
    gen.stop();
  });

  it("many requests in flight on the run's signal raise no listener-leak warning", async () => {
    const clock = createManualClock();
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    try {
      const gen = new LoadGenerator({
        profile: PROFILE,
        entrypoints: MIX,
        seed: 5,
        durationSeconds: 3600,
        clock,
        // Like fetch: each outstanding request listens for the abort of the run.
        send: (_entry, signal) =>
          new Promise<SendResult>((_resolve, reject) =>
            signal.addEventListener('abort', () => reject(new Error('aborted')))
          ),
      });
      const done = gen.run();
      await advance(clock, 1000);
      assert.ok(gen.stats().inFlight > 20, 'more requests in flight than Node warns about by default');
      gen.stop();
      await done;
      await flush();
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('ends by itself after its duration once outstanding requests have answered', async () => {
    const clock = createManualClock();
    let status = 200;
    const gen = new LoadGenerator({
      profile: PROFILE,
      entrypoints: MIX,
      seed: 6,
      durationSeconds: 5,
      clock,
      send: () => {
        // Every fourth request fails with a 503, every tenth send fails outright.
        status = status === 200 ? 201 : status === 201 ? 302 : status === 302 ? 503 : 200;
        const answer = status;
        return new Promise<SendResult>((resolve) =>
          clock.setTimeout(() => resolve({ status: answer, durationMs: 40 }), 40)
        );
      },
    });
    let resolved = false;
    const done = gen.run().then((s) => {
      resolved = true;
      return s;
    });
    await advance(clock, 4990);
    assert.equal(resolved, false);
    await advance(clock, 100);
    const stats = await done;
    assert.equal(resolved, true);
    const expected = schedule(6, 5).length;
    assert.equal(stats.sent, expected);
    assert.equal(stats.ok + stats.errors, expected);
    assert.equal(stats.errors, Math.floor(expected / 4));
    assert.equal(stats.abandoned, 0);
    assert.equal(clock.pending(), 0);
    assert.ok(stats.elapsedSeconds >= 5 && stats.elapsedSeconds <= 5.05, `elapsed ${stats.elapsedSeconds}`);
    assert.equal(stats.latencyMs.count, expected);
    assert.equal(stats.latencyMs.p50, 40);
  });

  it('gives up on requests that outlast the drain timeout', async () => {
    const clock = createManualClock();
    const gen = new LoadGenerator({
      profile: PROFILE,
      entrypoints: MIX,
      seed: 7,
      durationSeconds: 2,
      drainTimeoutMs: 500,
      clock,
      send: () => new Promise<SendResult>(() => {}),
    });
    const done = gen.run();
    await advance(clock, 2400);
    assert.equal(gen.stats().finished, false);
    await advance(clock, 200);
    const stats = await done;
    assert.equal(stats.finished, true);
    assert.equal(stats.abandoned, stats.sent);
    assert.ok(Math.abs(stats.elapsedSeconds - 2.5) < 0.011, `elapsed ${stats.elapsedSeconds}`);
  });

  it('counts failed sends and error statuses, and reports latency quantiles', async () => {
    const clock = createManualClock();
    let i = 0;
    const gen = new LoadGenerator({
      profile: createProfile({ kind: 'steady', rps: 200 }),
      entrypoints: MIX,
      seed: 8,
      durationSeconds: 10,
      clock,
      send: () => {
        i += 1;
        if (i % 10 === 0) {
          return Promise.reject(new Error('connection refused'));
        }
        if (i % 10 === 5) {
          throw new Error('synchronous failure');
        }
        // Latencies 1..100 ms in turn.
        return Promise.resolve({ status: i % 10 === 3 ? 500 : 200, durationMs: ((i - 1) % 100) + 1 });
      },
    });
    const done = gen.run();
    await advance(clock, 10_100, 100);
    const stats = await done;
    const n = stats.sent;
    assert.ok(n > 1500);
    assert.equal(stats.failed, Math.floor(n / 10) + Math.floor((n + 5) / 10));
    assert.equal(stats.errors, stats.failed + Math.floor((n + 7) / 10));
    assert.equal(stats.ok + stats.errors, n);
    assert.equal(stats.latencyMs.count, n - stats.failed);
    // Durations of answered requests are 1..100 spread evenly: quantiles within the histogram's 1 %.
    assert.ok(Math.abs(stats.latencyMs.p50 - 50) <= 0.03 * 50, `p50 ${stats.latencyMs.p50}`);
    assert.ok(Math.abs(stats.latencyMs.p90 - 90) <= 0.03 * 90, `p90 ${stats.latencyMs.p90}`);
    assert.ok(Math.abs(stats.latencyMs.p99 - 99) <= 0.03 * 99, `p99 ${stats.latencyMs.p99}`);
    // Every tenth send (durations 10, 20, ... 100) failed, so 99 is the longest answer.
    assert.equal(stats.latencyMs.max, 99);
  });

  it('validates its options and runs only once', async () => {
    const base = {
      profile: PROFILE,
      entrypoints: MIX,
      seed: 1,
      send: () => Promise.resolve({ status: 200, durationMs: 1 }),
    };
    assert.throws(() => new LoadGenerator({ ...base, durationSeconds: Infinity }), /durationSeconds/);
    assert.throws(() => new LoadGenerator({ ...base, durationSeconds: 0 }), /durationSeconds/);
    assert.throws(() => new LoadGenerator({ ...base, durationSeconds: 1, maxInFlight: 0 }), /maxInFlight/);
    assert.throws(() => new LoadGenerator({ ...base, durationSeconds: 1, entrypoints: [] }), /entrypoint/);
    const clock = createManualClock();
    const gen = new LoadGenerator({ ...base, durationSeconds: 1, clock });
    gen.stop();
    const stats = await gen.run();
    assert.equal(stats.finished, true);
    assert.equal(stats.sent, 0);
    assert.equal(stats.elapsedSeconds, 0);
    assert.throws(() => gen.run(), /runs once/);
  });
});

describe('LoadGenerator on the system clock', () => {
  it('runs a short real-time schedule to the end', async () => {
    const startedAt = performance.now();
    const gen = new LoadGenerator({
      profile: createProfile({ kind: 'steady', rps: 100 }),
      entrypoints: MIX,
      seed: 9,
      durationSeconds: 0.3,
      send: async () => ({ status: 200, durationMs: 1 }),
    });
    const stats = await gen.run();
    const tookMs = performance.now() - startedAt;
    assert.equal(stats.sent, schedule100(9, 0.3));
    assert.equal(stats.ok, stats.sent);
    assert.ok(tookMs >= 295 && tookMs < 2000, `took ${tookMs} ms`);
  });
});

function schedule100(seed: number, durationSeconds: number): number {
  return [
    ...generateArrivals({
      profile: createProfile({ kind: 'steady', rps: 100 }),
      entrypoints: MIX,
      seed,
      durationSeconds,
    }),
  ].length;
}

describe('LatencyHistogram', () => {
  it('reports nearest-rank quantiles within 1 % above the true value', () => {
    const h = new LatencyHistogram();
    const values = Array.from({ length: 1000 }, (_, i) => 0.05 * (i + 1) ** 1.5);
    for (const v of [...values].reverse()) {
      h.record(v);
    }
    for (const q of [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1]) {
      const exact = values[Math.ceil(q * values.length) - 1]!;
      const got = h.quantile(q);
      assert.ok(got >= exact * (1 - 1e-9) && got <= exact * 1.0101, `q=${q}: ${got} vs ${exact}`);
    }
    const s = h.summary();
    assert.equal(s.count, 1000);
    assert.equal(s.max, values[999]);
    assert.ok(Math.abs(s.mean - values.reduce((a, b) => a + b, 0) / 1000) < 1e-6);
  });

  it('is NaN when empty and ignores impossible samples', () => {
    const h = new LatencyHistogram();
    assert.ok(Number.isNaN(h.quantile(0.5)));
    h.record(-1);
    h.record(NaN);
    assert.equal(h.count, 0);
    h.record(0);
    assert.equal(h.quantile(0.99), 0);
  });
});
