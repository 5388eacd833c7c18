import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { convertNezha, type NezhaConversion } from '../src/eval/nezha/convertNezha.js';
import { parseNezhaTime } from '../src/eval/nezha/parseNezhaTime.js';
import { readRootCauseCase } from '../src/eval/nezha/readRootCauseCase.js';
import { serviceOfPod } from '../src/eval/nezha/serviceOfPod.js';
import { summariseAccuracy } from '../src/eval/nezha/summariseAccuracy.js';
import nezhaSuite, { NEZHA_RANKING } from '../src/eval/suites/nezha.js';
import { rankRootCauseCase, type RootCauseCase } from '../src/rootcause/case/index.js';

/**
 * A hand-made day in the Nezha layout: frontend → cartservice → redis-cart, 100 minutes from
 * 2022-01-01T00:00Z, a network delay injected on cartservice at 01:20:07. The delay shows only
 * in the caller-side latency of the calls into cartservice (source_50) and a little in
 * frontend's own latency. Like the real files, frontend's numeric TimeStamp column is off by
 * years, the fault's inject_timestamp disagrees with its inject_time, the dependency file names
 * a host and the load generator, and it is plain CSV while the rest is gzip.
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/nezha-mini', import.meta.url));
const T0 = Date.UTC(2022, 0, 1) / 1000;
const FAULT = T0 + 80 * 60 + 7;

describe('Nezha helpers', () => {
  it('parses the time formats of metric files and fault lists as UTC', () => {
    assert.equal(parseNezhaTime('2022-08-22 03:51:19.5 +0000 UTC m=+0.079858984'), 1661140279.5);
    assert.equal(parseNezhaTime('2022-08-22 03:53:54'), 1661140434);
    assert.equal(parseNezhaTime('2022-08-22 11:53:54 +0800'), 1661140434);
    assert.ok(Number.isNaN(parseNezhaTime('yesterday')));
  });

  it('maps pod names to their workload', () => {
    assert.equal(serviceOfPod('ts-travel2-service-5c66d57d58-6mp2b'), 'ts-travel2-service');
    assert.equal(serviceOfPod('redis-cart-0'), 'redis-cart');
    assert.equal(serviceOfPod('frontend'), 'frontend');
  });

  it('computes AC@k and Avg@5 in percent', () => {
    const a = summariseAccuracy([{ rank: 1 }, { rank: 2 }, { rank: 4 }, { rank: Number.POSITIVE_INFINITY }]);
    // AC@1..5 = 25, 50, 50, 75, 75.
    assert.deepEqual(a, { cases: 4, ac1: 25, ac3: 50, avg5: 55 });
  });
});

describe('convertNezha on a hand-made fixture', () => {
  let out: string;
  let conversion: NezhaConversion;
  let rootCase: RootCauseCase;

  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'nezha-convert-'));
    conversion = await convertNezha({ dataDir: FIXTURE, outDir: out });
    rootCase = await readRootCauseCase(join(out, conversion.cases[0]?.path ?? 'missing'));
  });
  after(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes one labelled case per fault, listed in index.json', () => {
    assert.equal(conversion.cases.length, 1);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { format: string; cases: unknown[] };
    assert.equal(index.format, 'seismo-rootcause-case/1');
    assert.equal(index.cases.length, 1);
    assert.equal(rootCase.meta.id, '2022-01-01T012007-cartservice');
    assert.equal(rootCase.meta.system, 'online-boutique');
    assert.deepEqual(rootCase.meta.label, {
      service: 'cartservice',
      type: 'network_delay',
      time: FAULT,
      entity: 'cartservice-5f4e3d2c1b-fghij',
    });
    assert.equal(rootCase.meta.alertTime, FAULT);
  });

  it('trusts the time text over disagreeing numeric columns and says so', () => {
    assert.ok(conversion.notes.some((n) => /2022-01-01 01:20:07 disagrees with inject_timestamp/.test(n)));
    assert.ok(
      conversion.notes.some((n) => /frontend-6d8f5b7c9d-abcde_metric\.csv\.gz: TimeStamp column disagrees/.test(n))
    );
    // Frontend rows land on the same minutes as the others despite its broken TimeStamp column.
    assert.deepEqual(rootCase.window.services.frontend?.timestamps, rootCase.window.services.cartservice?.timestamps);
  });

  it('keeps only calls between services with metrics, plus measured edges', () => {
    assert.deepEqual(rootCase.graph, [
      { client: 'frontend', server: 'cartservice' },
      { client: 'cartservice', server: 'redis-cart' },
    ]);
    assert.ok(
      conversion.notes.some((n) =>
        /2 endpoints without metrics left out of the graph.*10\.0\.0\.7, loadgenerator/.test(n)
      )
    );
    assert.deepEqual(
      rootCase.window.edges.map((e) => `${e.client}->${e.server}`),
      ['cartservice->redis-cart', 'frontend->cartservice']
    );
  });

  it('converts units and names columns by the catalogue', () => {
    const cart = rootCase.window.services.cartservice;
    const cpu = cart?.columns.cpu_usage ?? [];
    assert.ok(cpu.length > 0 && cpu.every((v) => v > 0.015 && v < 0.025), 'millicores became cores');
    assert.ok((cart?.columns.memory_working_set?.[0] ?? 0) > 100 * 1024 * 1024, 'MiB became bytes');
    assert.ok('outbound_latency_p95' in (cart?.columns ?? {}));
    assert.equal(rootCase.meta.serviceSignals?.node_cpu_usage_percent?.role, 'context');
    assert.equal(rootCase.meta.edgeSignals?.client_latency?.role, 'latency');
    assert.ok('redis-cart' in rootCase.window.services, 'StatefulSet pod read from a gzip file');
  });

  it('takes the window around the fault and a baseline clear of it', () => {
    const window = rootCase.window.services.cartservice?.timestamps ?? [];
    assert.equal(window[0], T0 + 50 * 60);
    assert.equal(window[window.length - 1], T0 + 95 * 60);
    const baseline = rootCase.baseline?.services.cartservice?.timestamps ?? [];
    // Minutes 0..70: everything more than 10 minutes before the injection at 80:07.
    assert.equal(baseline.length, 71);
    assert.ok(baseline.every((t) => t < FAULT - 600));
  });

  it('ranks the delayed service first from the calls into it', () => {
    const { ranking } = rankRootCauseCase(rootCase, NEZHA_RANKING);
    const first = ranking.candidates[0];
    assert.equal(first?.service, 'cartservice');
    assert.equal(first?.channel, 'symptom');
    assert.equal(first?.inEdges[0]?.client, 'frontend');
    assert.equal(ranking.candidates.find((c) => c.service === 'frontend')?.explainedBy?.service, 'cartservice');
  });

  it('runs as the nezha suite on the converted folder and reports per system', async () => {
    const lines: string[] = [];
    const result = (await nezhaSuite.run({ dataDir: out, log: (l) => lines.push(l) })) as {
      suite: string;
      systems: Record<string, { cases: number; ac1: number; ac3: number; avg5: number }>;
    };
    assert.equal(result.suite, 'nezha');
    assert.deepEqual(result.systems, { 'online-boutique': { cases: 1, ac1: 100, ac3: 100, avg5: 100 } });
    assert.ok(lines.some((l) => /type=network_delay truth=cartservice rank=1 top5=cartservice/.test(l)));
    assert.ok(lines.some((l) => /online-boutique type network_delay: cases=1 AC@1=100%/.test(l)));
  });
});
