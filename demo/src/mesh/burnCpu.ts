import { performance } from 'node:perf_hooks';

/**
 * Burns about `targetMs` of real CPU on the calling thread and returns the CPU time it measured,
 * in microseconds, so the service can be charged for what it really used rather than for what it
 * asked for. The loop stops on CPU time, not wall time: on a busy machine the burn takes longer
 * in wall time, as a throttled container's would. `maxWallMs` bounds how long the event loop can
 * be held (default: ten times the target, at least 50 ms).
 */
export function burnCpu(targetMs: number, maxWallMs: number = Math.max(50, targetMs * 10)): number {
  if (!(targetMs > 0)) {
    return 0;
  }
  const targetMicros = targetMs * 1000;
  const start = process.cpuUsage();
  const wallStart = performance.now();
  let x = 1;
  for (;;) {
    // A few microseconds of integer work between clock reads keeps the reads a small share.
    for (let i = 0; i < 500; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
    }
    const used = process.cpuUsage(start);
    const micros = used.user + used.system;
    if (micros >= targetMicros || performance.now() - wallStart >= maxWallMs || x === 0x7fffffff) {
      return micros;
    }
  }
}
