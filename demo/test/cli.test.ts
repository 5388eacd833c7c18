import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { CliUsageError, parseCliArgs } from '../src/cli.js';
import { readGroundTruth } from '../src/faults/readGroundTruth.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(demoDir, 'bin', 'seismo-demo-mesh.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real executable; `onStdout` may signal it. Killed after 20 s so a hang fails the test. */
function runBin(
  args: string[],
  onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: demoDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, (signal) => child.kill(signal));
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('parseCliArgs', () => {
  test('reads every flag', () => {
    const o = parseCliArgs([
      '--topology',
      't.yaml',
      '--telemetry',
      'istio,cadvisor',
      '--scenario',
      's.yaml',
      '--seed',
      '42',
      '--metrics-port',
      '9464',
      '--control-port',
      '9465',
      '--ground-truth',
      'gt.jsonl',
      '--load',
      'steady:rps=20',
      '--duration',
      '10m',
      '--call-timeout-ms',
      '500',
      '--expose-host',
      '0.0.0.0',
      '--lean-telemetry',
      '--json',
    ]);
    assert.deepEqual(o, {
      topologyPath: 't.yaml',
      telemetry: ['istio', 'cadvisor'],
      scenarioPath: 's.yaml',
      seed: 42,
      metricsPort: 9464,
      controlPort: 9465,
      groundTruthPath: 'gt.jsonl',
      load: 'steady:rps=20',
      durationSeconds: 600,
      callTimeoutMs: 500,
      exposeHost: '0.0.0.0',
      leanTelemetry: true,
      json: true,
      help: false,
    });
  });

  test('rejects bad values with the flag named', () => {
    assert.throws(
      () => parseCliArgs(['--telemetry', 'istio,zipkin']),
      (e: Error) => e instanceof CliUsageError && /unknown family "zipkin"/.test(e.message)
    );
    assert.throws(() => parseCliArgs(['--seed', 'abc']), /--seed: expected a whole number/);
    assert.throws(() => parseCliArgs(['--metrics-port', '70000']), /--metrics-port/);
    assert.throws(() => parseCliArgs(['--duration', 'soon']), /--duration/);
    assert.throws(() => parseCliArgs(['--topolgy', 'x']), CliUsageError);
  });
});

describe('seismo-demo-mesh executable', () => {
  test('runs a scenario under load for --duration, writes the ground truth and exits 0', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'seismo-cli-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(
      scenario,
      'faults:\n  - { id: slow-cart, type: slow, service: cartservice, delayMs: 20, startSeconds: 0.5, durationSeconds: 1 }\n'
    );
    const groundTruth = join(dir, 'gt.jsonl');
    const run = await runBin([
      '--json',
      '--seed',
      '3',
      '--load',
      'steady:rps=5',
      '--duration',
      '3',
      '--scenario',
      scenario,
      '--ground-truth',
      groundTruth,
      '--telemetry',
      'istio',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const started = JSON.parse(run.stdout.trim().split('\n')[0]!) as {
      topology: string;
      metricsUrl: string;
      controlUrl: string;
      services: Record<string, string>;
    };
    assert.equal(started.topology, 'online-boutique');
    assert.match(started.metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    assert.equal(Object.keys(started.services).length, 11);
    assert.match(run.stderr, /load sent \d+ requests/);
    const records = readGroundTruth(groundTruth);
    assert.equal(records.length, 1);
    assert.equal(records[0]!.id, 'slow-cart');
    assert.ok(records[0]!.end !== null, 'the fault ended within the run');
    const lasted = Date.parse(records[0]!.end!) - Date.parse(records[0]!.start);
    assert.ok(lasted >= 900 && lasted < 2000, `the fault lasted ${lasted} ms`);
  });

  test('prints where everything is and stops cleanly on SIGTERM', async () => {
    const run = await runBin(['--telemetry', 'obi'], (out, kill) => {
      if (out.includes('Stop with Ctrl-C')) {
        kill('SIGTERM');
      }
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /metrics +http:\/\/127\.0\.0\.1:\d+\/metrics +\(obi\)/);
    assert.match(run.stdout, /control +http:\/\/127\.0\.0\.1:\d+/);
    assert.match(run.stdout, /frontend +http:\/\/127\.0\.0\.1:\d+/);
    assert.match(run.stderr, /stopping \(SIGTERM\)/);
  });

  test('a broken topology exits 1 with file:line:column; a bad flag exits 2 with the usage', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'seismo-cli-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const topology = join(dir, 'broken.yaml');
    writeFileSync(
      topology,
      'name: x\nservices:\n  a: { errorRate: 3, endpoints: { e: {} } }\nentrypoints: [{ service: a, endpoint: e }]\n'
    );
    const broken = await runBin(['--topology', topology]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /broken\.yaml:3:\d+: service "a": errorRate must be in \[0, 1\], got 3/);
    const bad = await runBin(['--telemetry', 'nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Usage: seismo-demo-mesh/);
  });
});
