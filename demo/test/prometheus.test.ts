import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  PrometheusApiError,
  freePort,
  resolvePrometheusBinary,
  startPrometheus,
  type RunningPrometheus,
} from '../src/prometheus/index.js';

const demoDir = dirname(dirname(fileURLToPath(import.meta.url)));
const METRIC = 'seismo_harness_requests_total';

/** A scrape target whose counter grows by 5 per scrape; it remembers every value it served so
 * that query results can be checked against what Prometheus really scraped. */
interface CounterTarget {
  address: string;
  served: number[];
  close(): Promise<void>;
}

async function startCounterTarget(): Promise<CounterTarget> {
  const served: number[] = [];
  let count = 0;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    count += 5;
    served.push(count);
    response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
    response.end(
      `# HELP ${METRIC} Requests seen by the harness test target.\n` +
        `# TYPE ${METRIC} counter\n` +
        `${METRIC}{route="/checkout"} ${count}\n`
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return {
    address: `127.0.0.1:${address.port}`,
    served,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Whether a PID is a live process; a zombie (exited, not yet reaped) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

describe('startPrometheus against a live target', () => {
  let target: CounterTarget;
  let second: CounterTarget | undefined;
  let prom: RunningPrometheus | undefined;

  before(async () => {
    target = await startCounterTarget();
    prom = await startPrometheus({
      scrapeTargets: [{ job: 'harness', targets: [target.address], labels: { team: 'sre' } }],
      scrapeIntervalSeconds: 1,
    });
  });

  after(async () => {
    await prom?.stop();
    await target.close();
    await second?.close();
  });

  const running = (): RunningPrometheus => {
    assert.ok(prom !== undefined, 'Prometheus did not start');
    return prom;
  };

  it('listens on 127.0.0.1 and brings the target up', async () => {
    const p = running();
    assert.equal(p.url, `http://127.0.0.1:${p.port}`);
    assert.ok(isAlive(p.pid));
    assert.equal(p.running, true);
    const targets = await p.waitForTargetsUp(20_000);
    assert.equal(targets.length, 1);
    const [only] = targets;
    assert.equal(only?.job, 'harness');
    assert.equal(only?.health, 'up');
    assert.equal(only?.labels['team'], 'sre');
    assert.equal(only?.scrapeUrl, `http://${target.address}/metrics`);
    assert.ok(only?.lastScrape instanceof Date);
  });

  it('answers an instant query with the scraped value', async () => {
    const p = running();
    const samples = await p.waitFor(METRIC, (v) => v.length === 1, 10_000);
    const [sample] = samples;
    assert.deepEqual(sample?.metric, {
      __name__: METRIC,
      instance: target.address,
      job: 'harness',
      route: '/checkout',
      team: 'sre',
    });
    assert.ok(target.served.includes(sample?.value ?? -1), `value ${sample?.value} was never served`);

    const scalar = await p.query('1 + 1');
    assert.equal(scalar.resultType, 'scalar');
    assert.equal(scalar.resultType === 'scalar' ? scalar.result.value : undefined, 2);
    const inf = await p.queryVector('vector(1) / 0');
    assert.equal(inf[0]?.value, Number.POSITIVE_INFINITY);
  });

  it('answers a range query with parsed points', async () => {
    const p = running();
    await p.waitFor(`count_over_time(${METRIC}[10s])`, (v) => (v[0]?.value ?? 0) >= 3, 15_000);
    const end = Date.now() / 1000;
    const series = await p.queryRange(METRIC, end - 10, end, 1);
    assert.equal(series.length, 1);
    const values = series[0]?.values ?? [];
    assert.ok(values.length >= 3, `only ${values.length} points`);
    for (let i = 1; i < values.length; i++) {
      assert.ok(Math.abs((values[i]?.time ?? 0) - (values[i - 1]?.time ?? 0) - 1) < 1e-6, 'points are 1 s apart');
      assert.ok((values[i]?.value ?? 0) >= (values[i - 1]?.value ?? 0), 'counter never decreases');
    }
    for (const point of values) {
      assert.ok(target.served.includes(point.value), `value ${point.value} was never served`);
    }
  });

  it('reports bad PromQL as a PrometheusApiError with the Prometheus message', async () => {
    const p = running();
    await assert.rejects(p.query('sum(rate('), (error: unknown) => {
      assert.ok(error instanceof PrometheusApiError);
      assert.equal(error.errorType, 'bad_data');
      assert.equal(error.status, 400);
      assert.match(error.message, /parse error/);
      return true;
    });
  });

  it('adds a target with updateTargets (config rewrite + SIGHUP)', async () => {
    const p = running();
    const added = await startCounterTarget();
    second = added;
    const pid = p.pid;
    await p.updateTargets([
      { job: 'harness', targets: [target.address], labels: { team: 'sre' } },
      { job: 'harness-b', targets: [added.address] },
    ]);
    assert.equal(p.pid, pid, 'reload keeps the process');
    const targets = await p.waitForTargetsUp(20_000);
    assert.deepEqual(targets.map((t) => t.job).sort(), ['harness', 'harness-b']);
    await p.waitFor(`${METRIC}{job="harness-b"}`, (v) => v.length === 1, 10_000);
  });

  it('keeps its data across SIGKILL and restart on the same port', async () => {
    const p = running();
    // A moment safely in the past, so no scrape can still be adding samples before it.
    const at = Date.now() / 1000 - 3;
    const selector = `${METRIC}{job="harness"}`;
    const before = await p.queryVector(selector, at);
    assert.equal(before.length, 1);
    const { pid, port, dataDir } = p;

    const exit = await p.kill('SIGKILL');
    assert.equal(exit.signal, 'SIGKILL');
    assert.equal(isAlive(pid), false);
    assert.equal(p.running, false);
    await assert.rejects(p.query('up'), /unreachable/);

    await p.restart();
    assert.notEqual(p.pid, pid);
    assert.equal(p.port, port);
    assert.equal(p.dataDir, dataDir);
    assert.ok(isAlive(p.pid));
    assert.deepEqual(await p.queryVector(selector, at), before, 'samples from before the crash survive');
    // Scraping resumes with the configuration as last updated.
    const lastBefore = before[0]?.value ?? 0;
    await p.waitFor(selector, (v) => (v[0]?.value ?? 0) > lastBefore, 20_000);
    await p.waitForTargetsUp(20_000);
  });

  it('stop() ends the process, removes the temporary data dir and is idempotent', async () => {
    const p = running();
    const { pid, dataDir } = p;
    assert.ok(existsSync(dataDir));
    await p.stop();
    assert.equal(isAlive(pid), false);
    assert.equal(existsSync(dataDir), false);
    assert.equal(p.running, false);
    await p.stop();
    await assert.rejects(p.restart(), /stopped/);
  });
});

describe('startPrometheus with a given data dir and port', () => {
  it('keeps the data dir on stop and uses the port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'seismo-prometheus-test-'));
    const port = await freePort();
    const prom = await startPrometheus({ scrapeTargets: [], dataDir, port });
    try {
      assert.equal(prom.port, port);
      assert.equal(prom.dataDir, dataDir);
      const [sample] = await prom.queryVector('vector(7)');
      assert.equal(sample?.value, 7);
    } finally {
      await prom.stop();
      assert.equal(existsSync(join(dataDir, 'wal')), true, 'the given data dir is kept');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Prometheus binary resolution', () => {
  const missing = join(tmpdir(), 'seismo-no-such-prometheus');

  it('fails with installation advice when the binary is missing', async () => {
    await assert.rejects(startPrometheus({ scrapeTargets: [], binary: missing }), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.ok(error.message.includes(missing), error.message);
      assert.match(error.message, /does not exist/);
      assert.match(error.message, /apt-get install prometheus/);
      assert.match(error.message, /PROMETHEUS_BIN/);
      return true;
    });
  });

  it('honours PROMETHEUS_BIN', async () => {
    await assert.rejects(resolvePrometheusBinary(undefined, { PROMETHEUS_BIN: missing }), /from PROMETHEUS_BIN/);
  });
});

describe('parent process exit', () => {
  it('kills Prometheus by PID and removes its working dir when the Node process exits without stop()', async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'seismo-prometheus-orphan-'));
    let pid = 0;
    t.after(async () => {
      if (pid !== 0 && isAlive(pid)) {
        process.kill(pid, 'SIGKILL');
      }
      await rm(dataDir, { recursive: true, force: true });
    });
    const harness = pathToFileURL(join(demoDir, 'src', 'prometheus', 'index.ts')).href;
    const script =
      `const { startPrometheus } = await import(${JSON.stringify(harness)});` +
      `const prom = await startPrometheus({ scrapeTargets: [], dataDir: ${JSON.stringify(dataDir)} });` +
      `process.stdout.write(JSON.stringify({ pid: prom.pid, configFile: prom.configFile }) + '\\n');` +
      `process.exit(0);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: demoDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 0, stderr);
    const printed = JSON.parse(stdout) as { pid: number; configFile: string };
    pid = printed.pid;
    assert.ok(pid > 0, `no PID printed: ${stdout} ${stderr}`);
    assert.equal(existsSync(printed.configFile), false, 'the working directory is removed');
    const deadline = Date.now() + 5_000;
    while (isAlive(pid) && Date.now() < deadline) {
      await sleep(50);
    }
    assert.equal(isAlive(pid), false, `Prometheus ${pid} outlived its parent`);
  });
});
