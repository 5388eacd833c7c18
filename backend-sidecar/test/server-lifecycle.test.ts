import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';

import type { ConfigStore } from '../src/config/ConfigStore.js';
import { loadConfigText } from '../src/config/loadConfigText.js';
import { Lifecycle, type Component, type LifecycleTimers } from '../src/lifecycle/Lifecycle.js';
import { startServer, type SidecarModule } from '../src/server.js';

const dir = mkdtempSync(join(tmpdir(), 'seismo-server-'));
after(() => rmSync(dir, { recursive: true, force: true }));

class ManualTimers implements LifecycleTimers {
  readonly pending = new Map<number, () => void>();
  #next = 0;
  setTimeout(callback: () => void): unknown {
    const id = ++this.#next;
    this.pending.set(id, callback);
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fire(): void {
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    callbacks.forEach((cb) => cb());
  }
}

function recorder(events: string[], name: string, extra: Partial<Component> = {}): Component {
  return {
    name,
    start: () => void events.push(`start ${name}`),
    stop: () => void events.push(`stop ${name}`),
    ...extra,
  };
}

describe('Lifecycle', () => {
  it('starts in order and stops in reverse', async () => {
    const events: string[] = [];
    const lifecycle = new Lifecycle();
    for (const name of ['prometheus', 'loop', 'api']) {
      lifecycle.add(recorder(events, name));
    }
    await lifecycle.start();
    assert.equal(lifecycle.state, 'running');
    const report = await lifecycle.stop({ timeoutMs: 1000 });
    assert.deepEqual(events, [
      'start prometheus',
      'start loop',
      'start api',
      'stop api',
      'stop loop',
      'stop prometheus',
    ]);
    assert.deepEqual(report, { stopped: ['api', 'loop', 'prometheus'], failed: [], timedOut: [] });
    assert.equal(lifecycle.state, 'stopped');
    assert.equal(await lifecycle.stop({ timeoutMs: 1000 }), report, 'stop is idempotent');
    assert.throws(
      () => lifecycle.add(recorder(events, 'late')),
      /cannot add component "late": the lifecycle is stopped/
    );
  });

  it('a failing start stops what already started and names the component', async () => {
    const events: string[] = [];
    const lifecycle = new Lifecycle();
    lifecycle.add(recorder(events, 'a'));
    lifecycle.add(recorder(events, 'b', { start: () => Promise.reject(new Error('port in use')) }));
    lifecycle.add(recorder(events, 'c'));
    await assert.rejects(lifecycle.start(), /component "b" failed to start: port in use/);
    assert.deepEqual(events, ['start a', 'stop a']);
  });

  it('a stop that fails is reported and the others still stop', async () => {
    const events: string[] = [];
    const lifecycle = new Lifecycle();
    lifecycle.add(recorder(events, 'a'));
    lifecycle.add(recorder(events, 'b', { stop: () => Promise.reject(new Error('flush failed')) }));
    await lifecycle.start();
    const report = await lifecycle.stop({ timeoutMs: 1000 });
    assert.deepEqual(report, { stopped: ['a'], failed: [{ name: 'b', error: 'flush failed' }], timedOut: [] });
  });

  it('the deadline abandons a stop that hangs, aborts its signal and still asks the rest', async () => {
    const timers = new ManualTimers();
    const events: string[] = [];
    let hungSignal: AbortSignal | undefined;
    const lifecycle = new Lifecycle({ timers });
    lifecycle.add(recorder(events, 'first'));
    lifecycle.add({
      name: 'hung',
      stop: (signal) => {
        hungSignal = signal;
        return new Promise<void>(() => undefined);
      },
    });
    lifecycle.add(recorder(events, 'last'));
    await lifecycle.start();
    const stopping = lifecycle.stop({ timeoutMs: 5000 });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(hungSignal?.aborted, false);
    timers.fire();
    const report = await stopping;
    assert.equal(hungSignal?.aborted, true);
    assert.deepEqual(report, { stopped: ['last'], failed: [], timedOut: ['hung', 'first'] });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ['start first', 'start last', 'stop last', 'stop first']);
  });
});

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    }),
    text: () => chunks.join(''),
  };
}

const TOKEN = 'server-token-0123456789';

function config(name: string, extra = ''): { file: string; text: string } {
  const file = join(dir, name);
  const text = `prometheus:\n  url: http://127.0.0.1:9\napi:\n  host: 127.0.0.1\n  port: 0\nstorage:\n  stateDir: ${name}-state\n${extra}`;
  writeFileSync(file, text);
  return { file, text };
}

describe('startServer', () => {
  it('listens on 127.0.0.1, runs modules, and shuts down in order', async () => {
    const { file, text } = config('server.yaml');
    const env = { SEISMO_API_TOKEN: TOKEN };
    const events: string[] = [];
    const logs = sink();
    let seenStore: ConfigStore | undefined;
    const loop: SidecarModule = {
      name: 'loop',
      setup(ctx) {
        seenStore = ctx.config;
        ctx.lifecycle.add(recorder(events, 'loop'));
        ctx.lifecycle.add(recorder(events, 'exporter'));
        return {
          routes: [
            async (api) => {
              api.get('/loop/status', async () => ({
                interval: ctx.config.current().config.detection.intervalSeconds,
              }));
            },
          ],
        };
      },
    };
    const server = await startServer({
      loaded: loadConfigText(text, file, { env }),
      load: (t) => loadConfigText(t, file, { env }),
      build: { version: '7.7.7', revision: 'r' },
      modules: [loop],
      logStream: logs.stream,
      watch: () => ({ close: () => undefined }),
    });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(statSync(join(dir, 'server.yaml-state')).isDirectory(), 'the state directory was created');
      assert.deepEqual(events, ['start loop', 'start exporter']);
      const health = await fetch(`${server.url}/healthz`);
      assert.deepEqual(await health.json(), { status: 'ok', version: '7.7.7' });
      assert.equal((await fetch(`${server.url}/api/v1/loop/status`)).status, 401);
      const status = await fetch(`${server.url}/api/v1/loop/status`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.deepEqual(await status.json(), { interval: 15 });
      assert.equal(seenStore, server.store);
    } finally {
      const report = await server.shutdown('test');
      assert.deepEqual(report, { stopped: ['exporter', 'loop'], failed: [], timedOut: [] });
    }
    assert.deepEqual(events.slice(2), ['stop exporter', 'stop loop']);
    await assert.rejects(fetch(`${server.url}/healthz`), 'no longer accepting connections');
    assert.equal(server.readiness.check().reasons.includes('shutting down'), true);
    assert.match(logs.text(), /"msg":"sidecar listening"/);
    assert.ok(!logs.text().includes(TOKEN));
  });

  it('applies a reloaded log level to the running logger', async () => {
    const { file, text } = config('level.yaml');
    const server = await startServer({
      loaded: loadConfigText(text, file, { env: {} }),
      load: (t) => loadConfigText(t, file, { env: {} }),
      build: { version: '1', revision: 'r' },
      logStream: sink().stream,
      watch: () => ({ close: () => undefined }),
    });
    try {
      assert.equal(server.app.log.level, 'info');
      writeFileSync(file, `${text}log:\n  level: debug\n`);
      assert.equal((await server.watcher.reload()).result, 'success');
      assert.equal(server.app.log.level, 'debug');
    } finally {
      await server.shutdown('test');
    }
  });

  it('fails with the setting named when the state directory cannot be created', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where a directory should be');
    const { file, text } = config('blocked.yaml', '');
    const blocked = text.replace('stateDir: blocked.yaml-state', 'stateDir: blocker/state');
    await assert.rejects(
      startServer({
        loaded: loadConfigText(blocked, file, { env: {} }),
        load: (t) => loadConfigText(t, file, { env: {} }),
        build: { version: '1', revision: 'r' },
        logStream: sink().stream,
      }),
      new RegExp(
        `^Error: storage\\.stateDir: cannot create ${join(dir, 'blocker', 'state').replace(/[.]/g, '\\.')}: ENOTDIR$`
      )
    );
  });

  it('a component that fails to start closes the server again', async () => {
    const { file, text } = config('failing.yaml');
    const logs = sink();
    await assert.rejects(
      startServer({
        loaded: loadConfigText(text, file, { env: {} }),
        load: (t) => loadConfigText(t, file, { env: {} }),
        build: { version: '1', revision: 'r' },
        logStream: logs.stream,
        modules: [
          {
            name: 'broken',
            setup(ctx) {
              ctx.lifecycle.add({
                name: 'model-loader',
                start: () => {
                  throw new Error('model file missing');
                },
              });
            },
          },
        ],
      }),
      /component "model-loader" failed to start: model file missing/
    );
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(logs.text())?.[1];
    assert.ok(url !== undefined, 'the server had been listening');
    await assert.rejects(fetch(`${url}/healthz`), 'the port is closed again');
  });
});
