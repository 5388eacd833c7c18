import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startMesh, type RunningMesh } from '../src/mesh/startMesh.js';
import { buildTopology, configuredMemoryBytes } from './benchTopology.js';
import {
  LOOP_DELAY_RESOLUTION_MS,
  loopDelayMs,
  type ChildArgs,
  type ChildMessage,
  type ParentMessage,
} from './protocol.js';

/**
 * The mesh side of the benchmark: starts the mesh, reports its endpoints, answers usage queries
 * and stops when told, when the parent goes away (IPC disconnect), on SIGTERM/SIGINT, or when its
 * lifetime is over, whichever comes first.
 */
const send = (message: ChildMessage): void => {
  process.send?.(message);
};

if (!process.send) {
  process.stderr.write('meshChild: must be started by the benchmark with an IPC channel\n');
  process.exit(2);
}

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
let mesh: RunningMesh | undefined;
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) {
    return;
  }
  stopping = true;
  loopDelay.disable();
  // A stop that hangs must not keep the process: the parent is waiting for it to exit.
  const bound = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
  await Promise.race([mesh?.stop().catch(() => undefined), bound]);
  process.exit(code);
}

const lifetime = setTimeout(() => void shutdown(3), args.maxLifetimeMs);
process.on('disconnect', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
process.once('SIGINT', () => void shutdown(0));

process.on('message', (raw: ParentMessage) => {
  if (raw.type === 'stop') {
    clearTimeout(lifetime);
    void shutdown(0);
    return;
  }
  if (raw.type === 'usage') {
    const cpu = process.cpuUsage();
    const at = performance.now();
    send({
      type: 'usage',
      cpuMicros: cpu.user + cpu.system,
      atMs: at,
      rssBytes: process.memoryUsage.rss(),
      // ru_maxrss is in kilobytes on Linux.
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      loopDelayP99Ms: loopDelayMs(loopDelay.count > 0 ? loopDelay.percentile(99) : 0),
      loopDelayMaxMs: loopDelayMs(loopDelay.count > 0 ? loopDelay.max : 0),
    });
    loopDelay.reset();
  }
});

try {
  const started = performance.now();
  const topology = buildTopology(args.source, args.noServiceTime);
  mesh = await startMesh({ topology, seed: args.seed });
  loopDelay.enable();
  send({
    type: 'ready',
    topology: topology.name,
    services: Object.fromEntries([...mesh.services].map(([name, s]) => [name, s.url])),
    metricsUrl: mesh.metricsUrl,
    configuredMemoryBytes: configuredMemoryBytes(topology),
    startupMs: performance.now() - started,
  });
} catch (err) {
  // Also on stderr: the IPC message may not get out before the exit below.
  process.stderr.write(`meshChild: could not start the mesh: ${(err as Error).message}\n`);
  send({ type: 'error', message: (err as Error).message });
  await shutdown(1);
}
