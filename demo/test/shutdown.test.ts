import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { startMesh } from '../src/mesh/startMesh.js';
import { shopTopology } from './helpers/shopTopology.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs a script with tsx in a child process; resolves with its exit code and output, or kills it after `timeoutMs`. */
function runChild(
  script: string,
  timeoutMs: number
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: demoDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

const refused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

test('stop() closes every port and later sends fail fast instead of hanging', async () => {
  const mesh = await startMesh({ topology: shopTopology(), seed: 4 });
  await mesh.send({ service: 'frontend', endpoint: 'home' });
  const ports = [...mesh.services.values()].map((s) => s.port);
  ports.push(Number(new URL(mesh.metricsUrl).port), Number(new URL(mesh.controlUrl).port));
  await mesh.stop();
  for (const port of ports) {
    assert.ok(await refused(port), `port ${port} is closed after stop()`);
  }
  const after = await mesh.send({ service: 'frontend', endpoint: 'home' });
  assert.equal(after.status, 503);
});

test('a process whose mesh had work in flight exits on its own after stop()', async () => {
  const result = await runChild('test/fixtures/stopWithWorkInFlight.ts', 20_000);
  assert.equal(result.timedOut, false, `the process did not exit: open handles remain\n${result.stderr}`);
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
    stopMs: number;
    held: number;
    slowed: number;
  };
  assert.ok(report.stopMs < 5000, `stop() took ${report.stopMs} ms`);
  // Requests in flight at stop end with an error status rather than hanging.
  assert.ok(report.held >= 500, `held request ended with ${report.held}`);
  assert.ok(report.slowed >= 200, `slowed request ended with ${report.slowed}`);
});
