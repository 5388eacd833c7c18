import { createRandom, type Random } from '../src/random.js';
import type { EntrypointSpec, ServiceSpec, Topology } from '../src/topology/types.js';

/**
 * The latency a topology asks for, apart from anything the mesh adds: what the benchmark subtracts
 * from measured end-to-end latency to get the latency the mesh itself adds.
 */

/**
 * Own time of a service whose "latency" should be nothing. The mesh draws a log-normal with
 * median > 0; at a nanosecond its sleep is always already over once the request is parsed, so
 * the service answers without a timer.
 */
export const NEGLIGIBLE_MS = 1e-6;

/**
 * The same topology with no configured service time: latency ~0, no CPU burn, no own errors.
 * Call graph, call probabilities, parallelism, payload sizes and memory are unchanged, so each
 * request still crosses the same sockets and telemetry with the same bytes; what is left of its
 * end-to-end latency is what the mesh adds.
 */
export function withoutServiceTime(topology: Topology): Topology {
  const services = new Map<string, ServiceSpec>();
  for (const [name, spec] of topology.services) {
    services.set(name, {
      ...spec,
      latency: { medianMs: NEGLIGIBLE_MS, p99Ms: NEGLIGIBLE_MS },
      cpuMsPerRequest: 0,
      errorRate: 0,
    });
  }
  return { ...topology, name: `${topology.name}-no-service-time`, services };
}

/**
 * One draw of the configured latency of a request to `service`/`endpoint`: the service's own time
 * (its log-normal latency, or its CPU burn when that is longer, since the mesh counts the burn as
 * part of the latency), then its calls, each made with its probability, summed when sequential
 * and the slowest one when parallel. Errors are not modelled: the benchmark's topologies have none.
 */
export function drawConfiguredLatencyMs(
  topology: Topology,
  service: string,
  endpoint: string,
  random: Random,
  depth = 0
): number {
  // Topologies are validated acyclic; the bound only turns a bad hand-made one into an error.
  if (depth > 64) {
    throw new RangeError(`call chain deeper than 64 at ${service}/${endpoint}: is there a cycle?`);
  }
  const spec = topology.services.get(service);
  const ep = spec?.endpoints.get(endpoint);
  if (!spec || !ep) {
    throw new RangeError(`unknown endpoint ${service}/${endpoint}`);
  }
  const own = Math.max(random.logNormal(spec.latency.medianMs, spec.latency.p99Ms), spec.cpuMsPerRequest);
  const made = ep.calls.filter((c) => c.probability >= 1 || random.next() < c.probability);
  const calls = made.map((c) => drawConfiguredLatencyMs(topology, c.service, c.endpoint, random, depth + 1));
  const downstream = ep.parallel ? Math.max(0, ...calls) : calls.reduce((a, b) => a + b, 0);
  return own + downstream;
}

/**
 * `samples` draws of the configured end-to-end latency over the topology's request mix (entries
 * picked by weight), sorted ascending. Seeded, so the reference is the same on every run.
 */
export function simulateConfiguredLatencies(
  topology: Topology,
  entrypoints: readonly EntrypointSpec[],
  samples: number,
  seed: number
): number[] {
  const total = entrypoints.reduce((s, e) => s + e.weight, 0);
  if (!(total > 0)) {
    throw new RangeError('the request mix needs an entrypoint with weight > 0');
  }
  const random = createRandom(seed);
  const mix = random.fork('mix');
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    let u = mix.next() * total;
    let entry = entrypoints[entrypoints.length - 1]!;
    for (const e of entrypoints) {
      if (u < e.weight) {
        entry = e;
        break;
      }
      u -= e.weight;
    }
    out.push(drawConfiguredLatencyMs(topology, entry.service, entry.endpoint, random));
  }
  return out.sort((a, b) => a - b);
}

/** Nearest-rank quantile of ascending values (the load generator's histogram uses the same rank); NaN when empty. */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * Latency the mesh adds at a quantile: measured minus configured. A difference of quantiles, not
 * the quantile of per-request differences (the benchmark cannot see each request's configured
 * draw from outside); for the no-service-time topology the configured side is ~0 and the two agree.
 */
export function addedLatencyMs(measuredMs: number, configuredMs: number): number {
  if (!Number.isFinite(measuredMs) || !Number.isFinite(configuredMs)) {
    return NaN;
  }
  return measuredMs - configuredMs;
}
