import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { Registry } from 'prom-client';

import { ConfigStore } from '../src/config/ConfigStore.js';
import {
  ConfigWatcher,
  type WatchDirectory,
  type WatcherLogger,
  type WatcherTimers,
} from '../src/config/ConfigWatcher.js';
import { loadConfigFile } from '../src/config/loadConfigFile.js';
import { loadConfigText } from '../src/config/loadConfigText.js';
import type { LoadedConfig } from '../src/config/types.js';
import { createSidecarMetrics } from '../src/metrics/createSidecarMetrics.js';

const dir = mkdtempSync(join(tmpdir(), 'seismo-watch-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = 'prometheus:\n  url: http://prometheus:9090\ndetection:\n  windowSteps: 60\n';
const GOOD_30 = 'prometheus:\n  url: http://prometheus:9090\ndetection:\n  windowSteps: 30\n';
const BAD = 'prometheus:\n  url: http://prometheus:9090\ndetection:\n  windowSteps: "lots"\n';

/** Timers the test fires by hand: no waiting, no timing. */
class ManualTimers implements WatcherTimers {
  pending = new Map<number, () => void>();
  #next = 0;
  setTimeout(callback: () => void, _ms: number): unknown {
    const id = ++this.#next;
    this.pending.set(id, callback);
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  fireAll(): void {
    const callbacks = [...this.pending.values()];
    this.pending.clear();
    for (const cb of callbacks) {
      cb();
    }
  }
}

/** A directory watch the test triggers by hand. */
function manualWatch(): { watch: WatchDirectory; fire: () => void; dirs: string[]; closed: () => number } {
  const listeners: Array<() => void> = [];
  const dirs: string[] = [];
  let closed = 0;
  return {
    watch: (d, onEvent) => {
      dirs.push(d);
      listeners.push(onEvent);
      return { close: () => void (closed += 1) };
    },
    fire: () => listeners.forEach((l) => l()),
    dirs,
    closed: () => closed,
  };
}

function recordingLogger(): WatcherLogger & { lines: Array<{ level: string; obj: object; msg: string }> } {
  const lines: Array<{ level: string; obj: object; msg: string }> = [];
  return {
    lines,
    info: (obj, msg) => void lines.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => void lines.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => void lines.push({ level: 'error', obj, msg }),
  };
}

async function value(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {}
): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

function setup(name: string, initial: string, env: Record<string, string> = {}) {
  const file = join(dir, name);
  writeFileSync(file, initial);
  let now = 1_000_000;
  const clock = () => now;
  const loaded = loadConfigFile(file, { env, clock });
  const store = new ConfigStore(loaded);
  const metrics = createSidecarMetrics({ build: { version: 't', revision: 't' }, processMetrics: false });
  const timers = new ManualTimers();
  const w = manualWatch();
  const logger = recordingLogger();
  const watcher = new ConfigWatcher({
    store,
    file,
    load: (text) => loadConfigText(text, file, { env, clock }),
    logger,
    metrics,
    clock,
    timers,
    watch: w.watch,
  });
  watcher.start();
  const seen: Array<{ next: LoadedConfig; changed: readonly string[] }> = [];
  store.subscribe((next, change) => void seen.push({ next, changed: change.changed }));
  /** Writes the file, signals the watch, lets the debounce fire and waits for the reload. */
  const edit = async (text: string) => {
    writeFileSync(file, text);
    w.fire();
    w.fire(); // editors produce several events per save
    assert.equal(timers.pending.size, 1, 'events are debounced into one pending reload');
    timers.fireAll();
    await watcher.settled();
  };
  return {
    file,
    store,
    metrics,
    timers,
    w,
    logger,
    watcher,
    seen,
    edit,
    advance: (ms: number) => void (now += ms),
  };
}

describe('ConfigWatcher', () => {
  it('watches the directory of the config file', () => {
    const t = setup('dir.yaml', GOOD);
    assert.deepEqual(t.w.dirs, [dir]);
    t.watcher.stop();
    assert.equal(t.w.closed(), 1);
  });

  it('also watches the directory a symlinked config points to, unless it lies below its own', () => {
    const watchedDirs = (file: string): string[] => {
      const w = manualWatch();
      const store = new ConfigStore(loadConfigFile(file, { env: {} }));
      const metrics = createSidecarMetrics({ build: { version: 't', revision: 't' }, processMetrics: false });
      new ConfigWatcher({
        store,
        file,
        load: (text) => loadConfigText(text, file),
        logger: recordingLogger(),
        metrics,
        watch: w.watch,
      }).start();
      return w.dirs;
    };
    const elsewhere = join(dir, 'elsewhere');
    const mounted = join(dir, 'mounted');
    mkdirSync(elsewhere);
    mkdirSync(mounted);
    writeFileSync(join(elsewhere, 'real.yaml'), GOOD);
    symlinkSync(join(elsewhere, 'real.yaml'), join(mounted, 'config.yaml'));
    assert.deepEqual(watchedDirs(join(mounted, 'config.yaml')), [mounted, elsewhere]);

    // The layout of a Kubernetes ConfigMap volume: config.yaml -> ..data/config.yaml, ..data -> ..<timestamp>
    const configMap = join(dir, 'configmap');
    mkdirSync(join(configMap, '..2024_01_01'), { recursive: true });
    writeFileSync(join(configMap, '..2024_01_01', 'config.yaml'), GOOD);
    symlinkSync('..2024_01_01', join(configMap, '..data'));
    symlinkSync(join('..data', 'config.yaml'), join(configMap, 'config.yaml'));
    assert.deepEqual(watchedDirs(join(configMap, 'config.yaml')), [configMap]);
  });

  it('swaps in a valid new config and hands it to listeners', async () => {
    const t = setup('valid.yaml', GOOD);
    t.advance(5000);
    await t.edit(GOOD_30);
    assert.equal(t.store.current().config.detection.windowSteps, 30);
    assert.equal(t.seen.length, 1);
    assert.deepEqual(t.seen[0]?.changed, ['detection.windowSteps']);
    assert.equal(t.seen[0]?.next.config.detection.windowSteps, 30);
    assert.equal(await value(t.metrics.registry, 'seismo_config_reload_total', { result: 'success' }), 1);
    assert.equal(await value(t.metrics.registry, 'seismo_config_reload_total', { result: 'failure' }), 0);
    assert.equal(await value(t.metrics.registry, 'seismo_config_last_reload_success'), 1);
    assert.equal(await value(t.metrics.registry, 'seismo_config_last_reload_success_timestamp_seconds'), 1005);
    const info = t.logger.lines.find((l) => l.msg === 'config reloaded');
    assert.deepEqual(info?.obj, { file: t.file, changed: ['detection.windowSteps'] });
  });

  it('refuses an invalid config: the old one stays, the failure is counted and logged with the reason', async () => {
    const t = setup('invalid.yaml', GOOD);
    await t.edit(BAD);
    assert.equal(t.store.current().config.detection.windowSteps, 60, 'the running config stays');
    assert.equal(t.seen.length, 0, 'listeners are not called');
    assert.equal(await value(t.metrics.registry, 'seismo_config_reload_total', { result: 'failure' }), 1);
    assert.equal(await value(t.metrics.registry, 'seismo_config_last_reload_success'), 0);
    const error = t.logger.lines.find((l) => l.level === 'error');
    assert.equal(error?.msg, 'config reload refused; the running config stays in force');
    assert.deepEqual((error?.obj as { errors: string[] }).errors, [
      `${t.file}:4:16: detection.windowSteps: must be a whole number between 2 and 10000, got "lots"`,
    ]);

    // The same bad content again is not reported again ...
    await t.edit(BAD);
    assert.equal(await value(t.metrics.registry, 'seismo_config_reload_total', { result: 'failure' }), 1);
    // ... and fixing the file recovers.
    await t.edit(GOOD_30);
    assert.equal(t.store.current().config.detection.windowSteps, 30);
    assert.equal(await value(t.metrics.registry, 'seismo_config_last_reload_success'), 1);
  });

  it('ignores events that leave the content unchanged', async () => {
    const t = setup('same.yaml', GOOD);
    await t.edit(GOOD);
    assert.equal(await value(t.metrics.registry, 'seismo_config_reload_total', { result: 'success' }), 0);
    assert.equal(t.logger.lines.length, 0);
  });

  it('a comment-only edit reloads without bothering listeners', async () => {
    const t = setup('comment.yaml', GOOD);
    await t.edit(`# tuned\n${GOOD}`);
    assert.equal(await value(t.metrics.registry, 'seismo_config_reload_total', { result: 'success' }), 1);
    assert.equal(t.seen.length, 0);
    assert.equal(t.store.current().hash !== t.store.initial.hash, true);
  });

  it('reports settings that need a restart', async () => {
    const t = setup('port.yaml', GOOD);
    const result = await (async () => {
      writeFileSync(t.file, `${GOOD}api:\n  port: 9999\n`);
      return t.watcher.reload();
    })();
    assert.deepEqual(result, { result: 'success', changed: ['api.port'], pendingRestart: ['api.port'] });
    assert.deepEqual(t.store.pendingRestart(), ['api.port']);
    assert.ok(
      t.logger.lines.some(
        (l) => l.level === 'warn' && (l.obj as { pendingRestart?: string[] }).pendingRestart?.[0] === 'api.port'
      )
    );
  });

  it('a vanished file is a failure; the config stays', async () => {
    const t = setup('gone.yaml', GOOD);
    rmSync(t.file);
    t.w.fire();
    t.timers.fireAll();
    await t.watcher.settled();
    assert.equal(await value(t.metrics.registry, 'seismo_config_reload_total', { result: 'failure' }), 1);
    assert.equal(t.store.current().config.detection.windowSteps, 60);
    assert.match(
      (t.logger.lines[0]?.obj as { errors: string[] }).errors[0] ?? '',
      /cannot read the config file: no such file/
    );
  });

  it('a forced reload re-reads secret files; the log names the key, never the value', async () => {
    const tokenFile = join(dir, 'api-token');
    writeFileSync(tokenFile, 'first-token-0123456789');
    const t = setup('secret.yaml', `${GOOD}api:\n  tokenFile: api-token\n`);
    writeFileSync(tokenFile, 'second-token-0123456789');
    assert.deepEqual(await t.watcher.reload(), { result: 'unchanged' }, 'without force the unchanged file is skipped');
    const result = await t.watcher.reload({ force: true });
    assert.equal(result.result, 'success');
    assert.equal(t.store.current().config.api.token?.reveal(), 'second-token-0123456789');
    assert.deepEqual(t.seen[0]?.changed, ['api.token']);
    const logged = JSON.stringify(t.logger.lines);
    assert.ok(!logged.includes('first-token') && !logged.includes('second-token'), logged);
  });

  it('stops reacting after stop()', async () => {
    const t = setup('stopped.yaml', GOOD);
    t.watcher.stop();
    writeFileSync(t.file, GOOD_30);
    t.w.fire();
    assert.equal(t.timers.pending.size, 0);
    assert.equal(t.store.current().config.detection.windowSteps, 60);
  });

  it('sees an editor-style replace (write elsewhere, rename over) through the real file system', async () => {
    const file = join(dir, 'real.yaml');
    writeFileSync(file, GOOD);
    const store = new ConfigStore(loadConfigFile(file, { env: {} }));
    const metrics = createSidecarMetrics({ build: { version: 't', revision: 't' }, processMetrics: false });
    const watcher = new ConfigWatcher({
      store,
      file,
      load: (text) => loadConfigText(text, file, { env: {} }),
      logger: recordingLogger(),
      metrics,
      debounceMs: 20,
    });
    const applied = new Promise<LoadedConfig>((resolve) => store.subscribe((next) => resolve(next)));
    // The watch and its debounce timer deliberately do not keep a process alive; this guard
    // does, and fails the test instead of hanging if the change is never seen.
    let guard: ReturnType<typeof setTimeout> | undefined;
    const missed = new Promise<never>((_, reject) => {
      guard = setTimeout(() => reject(new Error('the replaced file was never reloaded')), 20_000);
    });
    watcher.start();
    try {
      const temp = join(dir, '.real.yaml.swp');
      writeFileSync(temp, GOOD_30);
      renameSync(temp, file);
      const next = await Promise.race([applied, missed]);
      assert.equal(next.config.detection.windowSteps, 30);
      assert.equal(store.current().config.detection.windowSteps, 30);
    } finally {
      clearTimeout(guard);
      watcher.stop();
    }
  });
});
