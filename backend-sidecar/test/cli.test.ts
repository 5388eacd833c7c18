import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { runCli, type CliIo } from '../src/cli.js';
import type { SidecarModule } from '../src/server.js';

const dir = mkdtempSync(join(tmpdir(), 'seismo-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const BIN = fileURLToPath(new URL('../bin/seismo-sidecar.mjs', import.meta.url));
const TOKEN = 'cli-token-0123456789abcdef';

function writeConfig(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const VALID = `prometheus:\n  url: http://127.0.0.1:9\napi:\n  port: 0\nstorage:\n  stateDir: state\n`;

function sink(): { stream: Writable; text: () => string; onLine: (fn: (line: string) => void) => void } {
  const chunks: string[] = [];
  const listeners: Array<(line: string) => void> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      for (const line of chunk.toString().split('\n')) {
        listeners.forEach((fn) => fn(line));
      }
      done();
    },
  });
  return { stream, text: () => chunks.join(''), onLine: (fn) => void listeners.push(fn) };
}

class ExitCalled extends Error {}

function io(overrides: Partial<CliIo> = {}) {
  const out = sink();
  const err = sink();
  const signals = new EventEmitter();
  const exits: number[] = [];
  const value: CliIo = {
    stdout: out.stream,
    stderr: err.stream,
    env: { SEISMO_API_TOKEN: TOKEN },
    signals: signals as unknown as CliIo['signals'],
    exit: ((code: number) => {
      exits.push(code);
      throw new ExitCalled(`exit ${code}`);
    }) as CliIo['exit'],
    ...overrides,
  };
  return { io: value, out, err, signals, exits };
}

/** Resolves with the URL from the "sidecar listening" log line. */
function listeningUrl(out: ReturnType<typeof sink>): Promise<string> {
  return new Promise((resolve) => {
    const check = (line: string) => {
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"sidecar listening"/.exec(line)?.[1];
      if (url !== undefined) {
        resolve(url);
      }
    };
    out.text().split('\n').forEach(check);
    out.onLine(check);
  });
}

describe('seismo-sidecar --check', () => {
  it('exits 0 for a valid config and says so', async () => {
    const t = io();
    const file = writeConfig('valid.yaml', VALID);
    assert.equal(await runCli(['--config', file, '--check'], t.io), 0);
    assert.equal(
      t.out.text(),
      `${file}: OK (Prometheus http://127.0.0.1:9, API on 127.0.0.1:0, presets istio, obi, kubernetes)\n`
    );
    assert.ok(!t.out.text().includes(TOKEN));
  });

  it('exits 1 and prints every problem with file:line', async () => {
    const t = io();
    const file = writeConfig('invalid.yaml', `${VALID}detection:\n  intervalSeconds: "10s"\n  windwSteps: 3\n`);
    assert.equal(await runCli(['--check', `--config=${file}`], t.io), 1);
    assert.equal(
      t.err.text(),
      `${file}: invalid config (2 problems):\n` +
        `  ${file}:8:20: detection.intervalSeconds: must be a whole number of seconds >= 5, got "10s"\n` +
        `  ${file}:9:3: detection.windwSteps: unknown key; did you mean "windowSteps"?\n`
    );
  });

  it('exits 1 for a missing file and 2 for bad usage', async () => {
    const missing = io();
    assert.equal(await runCli(['-c', join(dir, 'nope.yaml'), '--check'], missing.io), 1);
    assert.match(missing.err.text(), /nope\.yaml: cannot read the config file: no such file/);
    const noConfig = io();
    assert.equal(await runCli(['--check'], noConfig.io), 2);
    assert.match(noConfig.err.text(), /--config FILE is required/);
    const unknown = io();
    assert.equal(await runCli(['--config', 'x.yaml', '--verbose'], unknown.io), 2);
    assert.match(unknown.err.text(), /unknown argument "--verbose"/);
    const help = io();
    assert.equal(await runCli(['--help'], help.io), 0);
    assert.match(help.out.text(), /^Usage: seismo-sidecar --config FILE \[--check\]/);
  });
});

describe('seismo-sidecar (in process)', () => {
  it('shuts down on SIGTERM with exit code 0', async () => {
    const t = io();
    const file = writeConfig('run.yaml', VALID);
    const running = runCli(['--config', file], t.io);
    const url = await listeningUrl(t.out);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    t.signals.emit('SIGTERM', 'SIGTERM');
    assert.equal(await running, 0);
    await assert.rejects(fetch(`${url}/healthz`));
    assert.deepEqual(t.exits, []);
  });

  it('a second signal exits at once while a module is still stopping', async () => {
    let release: () => void = () => undefined;
    let stopping: () => void = () => undefined;
    const stopCalled = new Promise<void>((resolve) => (stopping = resolve));
    const slow: SidecarModule = {
      name: 'slow',
      setup(ctx) {
        ctx.lifecycle.add({
          name: 'slow-loop',
          stop: () =>
            new Promise<void>((resolve) => {
              release = resolve;
              stopping();
            }),
        });
      },
    };
    const t = io({ modules: [slow] });
    const file = writeConfig('twice.yaml', VALID);
    const running = runCli(['--config', file], t.io);
    await listeningUrl(t.out);
    t.signals.emit('SIGTERM', 'SIGTERM');
    await stopCalled;
    assert.throws(() => t.signals.emit('SIGINT', 'SIGINT'), ExitCalled);
    assert.deepEqual(t.exits, [1]);
    assert.match(t.out.text(), /"signal":"SIGINT","msg":"second signal: exiting without waiting"/);
    // The test's exit() returns instead of ending the process; the first shutdown then completes.
    release();
    assert.equal(await running, 0);
  });
});

describe('seismo-sidecar (real process)', () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SEISMO_')));

  it('serves /healthz on 127.0.0.1 and exits 0 on SIGTERM', async () => {
    const file = writeConfig('spawn.yaml', VALID);
    const child = spawn(process.execPath, [BIN, '--config', file], {
      env: { ...env, SEISMO_API_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal }))
    );
    // The bound: a process that does not listen or does not exit fails the test instead of hanging it.
    const guard = setTimeout(() => {
      if (child.pid !== undefined && child.exitCode === null) {
        process.kill(child.pid, 'SIGKILL');
      }
    }, 60_000);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const found = /"url":"(http:\/\/127\.0\.0\.1:\d+)".*"msg":"sidecar listening"/.exec(stdout)?.[1];
          if (found !== undefined) {
            resolve(found);
          }
        });
        void exited.then(({ code }) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
      });
      const res = await fetch(`${url}/healthz`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { status: string }).status, 'ok');
      assert.equal((await fetch(`${url}/api/v1/config`)).status, 401);
      assert.equal(process.kill(child.pid as number, 'SIGTERM'), true);
      assert.deepEqual(await exited, { code: 0, signal: null });
      assert.match(stdout, /"msg":"stopped"/);
      assert.ok(!stdout.includes(TOKEN) && !stderr.includes(TOKEN), 'the token never reaches the output');
    } finally {
      clearTimeout(guard);
      if (child.exitCode === null && child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
      }
    }
  });

  it('--check exits 1 with the problems on stderr', async () => {
    const file = writeConfig('spawn-bad.yaml', `${VALID}log:\n  level: loud\n`);
    const child = spawn(process.execPath, [BIN, '--config', file, '--check'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 1);
    assert.match(
      stderr,
      new RegExp(
        `${file.replace(/[.]/g, '\\.')}:8:10: log\\.level: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"`
      )
    );
  });
});
