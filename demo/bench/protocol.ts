/**
 * Messages between the benchmark and the mesh child process (Node IPC). The mesh runs in its own
 * process so that the CPU time and resident memory it reports are the mesh's alone, not the load
 * generator's.
 */

/** Which topology the child builds; the parent builds the same one to know its entrypoints. */
export type TopologySource = { kind: 'file'; path: string } | { kind: 'generated'; services: number; seed: number };

export interface ChildArgs {
  source: TopologySource;
  /** Replace every service's latency, CPU and errors by ~nothing (see withoutServiceTime). */
  noServiceTime: boolean;
  seed: number;
  /** The child exits by itself after this long, even if the parent never says stop. */
  maxLifetimeMs: number;
}

export type ParentMessage = { type: 'usage' } | { type: 'stop' };

export interface UsageReport {
  type: 'usage';
  /** process.cpuUsage() user + system, microseconds since the child started. */
  cpuMicros: number;
  /** The child's monotonic clock at the same moment, milliseconds. */
  atMs: number;
  rssBytes: number;
  /** Peak resident set so far (getrusage ru_maxrss), bytes. */
  maxRssBytes: number;
  /** Event-loop delay p99 and max since the previous report, milliseconds. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

export type ChildMessage =
  | {
      type: 'ready';
      topology: string;
      /** Service name to base URL, e.g. http://127.0.0.1:41234 */
      services: Record<string, string>;
      metricsUrl: string;
      /** Memory the topology asks its services to hold, bytes. */
      configuredMemoryBytes: number;
      startupMs: number;
    }
  | UsageReport
  | { type: 'error'; message: string };

/** Sampling interval of the event-loop delay monitors (a 1 ms timer would itself cost the mesh CPU). */
export const LOOP_DELAY_RESOLUTION_MS = 10;

/**
 * Event-loop delay in milliseconds from a monitorEventLoopDelay value in nanoseconds. Node's
 * histogram records the whole interval between samples, resolution included (an idle loop reads
 * about 10 ms at resolution 10), so the resolution is taken off.
 */
export function loopDelayMs(nanos: number): number {
  return Math.max(0, nanos / 1e6 - LOOP_DELAY_RESOLUTION_MS);
}
