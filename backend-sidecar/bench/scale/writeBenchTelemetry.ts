import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

import { syntheticMesh } from '../../src/detectors/bench/syntheticMesh.js';
import { BENCH_NAMESPACE, calleesOf, EDGE_SIGNALS, SERVICE_SIGNALS, serviceName, seriesName } from './benchMesh.js';

export interface BenchTelemetryOptions {
  readonly services: number;
  /** Unix seconds of the newest sample. */
  readonly end: number;
  readonly steps: number;
  readonly stepSeconds: number;
  readonly seed: number;
}

/** Services generated and written together: bounds the writer's memory whatever the mesh size. */
const CHUNK = 250;

/** Callers of service j and the share of its inbound traffic each sends (callers from calleesOf). */
function callersOf(j: number, services: number): Array<{ client: number; share: number }> {
  const callers: number[] = [];
  for (const offset of [1, 7]) {
    const i = (((j - offset) % services) + services) % services;
    if (i !== j && calleesOf(i, services).includes(j) && !callers.includes(i)) {
      callers.push(i);
    }
  }
  return callers.map((client, k) => ({ client, share: callers.length === 1 ? 1 : k === 0 ? 0.6 : 0.4 }));
}

/**
 * Writes the benchmark mesh's telemetry as OpenMetrics text for `promtool tsdb create-blocks-from
 * openmetrics`: every service signal of the synthetic mesh (`syntheticMesh`, the same services the
 * detection benchmark and the default model use) and, per call edge, the callee's request rate
 * split between its callers, its error ratio and its p95 latency. Each series' samples are
 * consecutive and in time order. Returns the number of samples written.
 */
export async function writeBenchTelemetry(file: string, options: BenchTelemetryOptions): Promise<number> {
  const out = createWriteStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) {
      await once(out, 'drain');
    }
  };
  const { services, end, steps, stepSeconds, seed } = options;
  const timestamps = Array.from({ length: steps }, (_, t) => String(end - (steps - 1 - t) * stepSeconds));
  let samples = 0;
  for (let from = 0; from < services; from += CHUNK) {
    const mesh = syntheticMesh({ from, count: Math.min(CHUNK, services - from), steps, stepSeconds, end, seed });
    const lines: string[] = [];
    mesh.forEach((svc, k) => {
      const j = from + k;
      const name = serviceName(j);
      for (const signal of SERVICE_SIGNALS) {
        const labels = `{service="${name}",namespace="${BENCH_NAMESPACE}"}`;
        const points = svc.series[signal] ?? [];
        const metric = seriesName('service', signal);
        for (let t = 0; t < points.length; t++) {
          lines.push(`${metric}${labels} ${(points[t]![1] as number).toPrecision(6)} ${timestamps[t]}\n`);
        }
        samples += points.length;
      }
      const rate = svc.series['request_rate'] ?? [];
      const errors = svc.series['error_ratio'] ?? [];
      const p95 = svc.series['latency_p95'] ?? [];
      for (const { client, share } of callersOf(j, services)) {
        const labels = `{client="${serviceName(client)}",server="${name}"}`;
        const edge: Record<(typeof EDGE_SIGNALS)[number], (t: number) => number> = {
          request_rate: (t) => (rate[t]![1] as number) * share,
          error_ratio: (t) => errors[t]![1] as number,
          // The caller sees the callee's latency plus a little network time.
          latency_p95: (t) => (p95[t]![1] as number) + 0.0005,
        };
        for (const signal of EDGE_SIGNALS) {
          const metric = seriesName('edge', signal);
          for (let t = 0; t < steps; t++) {
            lines.push(`${metric}${labels} ${edge[signal](t).toPrecision(6)} ${timestamps[t]}\n`);
          }
          samples += steps;
        }
      }
    });
    await write(lines.join(''));
  }
  await write('# EOF\n');
  out.end();
  await once(out, 'finish');
  return samples;
}
