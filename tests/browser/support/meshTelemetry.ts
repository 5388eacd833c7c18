import type { Edge, EndpointSpec, Topology } from '../../../demo/src/topology/types.js';

/** A latency added to every request a service handles, over [from, to) in unix seconds. */
export interface LatencyFault {
  service: string;
  extraSeconds: number;
  from: number;
  to: number;
}

export interface MeshTelemetryOptions {
  /** The caller outside the mesh that drives the entrypoints (the load generator). */
  externalClient: string;
  /** Requests per second the load generator sends at the daily mean. */
  requestsPerSecond: number;
  faults?: readonly LatencyFault[];
  /** Services that export no signals of their own (only their callers' edges name them). */
  silent?: readonly string[];
  /**
   * The level of each canonical service signal of a typical service at the daily mean load, in
   * base units (e.g. the default model's pooled baselines); every service runs close to it.
   */
  levels: Readonly<Record<string, number>>;
}

/** A latency distribution (seconds): log-normal, possibly shifted by a fault's constant delay. */
interface Latency {
  mu: number;
  sigma: number;
  shift: number;
}

/** p95 / p50 of a service's own latency; the same spread as the default model's training data. */
const P95_OVER_P50 = 2.4;
const Z95 = 1.645;
const SIGMA = Math.log(P95_OVER_P50) / Z95;
const DAY = 86_400;

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** The q-quantile of a weighted mixture of latencies, by bisection on its CDF. */
function mixtureQuantile(parts: ReadonlyArray<{ weight: number; latency: Latency }>, q: number): number {
  const total = parts.reduce((sum, p) => sum + p.weight, 0);
  if (total <= 0) {
    return 0;
  }
  const cdf = (x: number) =>
    parts.reduce((sum, { weight, latency: l }) => {
      const own = x - l.shift;
      return own <= 0 ? sum : sum + weight * normalCdf((Math.log(own) - l.mu) / l.sigma);
    }, 0) / total;
  let lo = 1e-6;
  let hi = 120;
  for (let i = 0; i < 60; i++) {
    const mid = Math.sqrt(lo * hi);
    if (cdf(mid) < q) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return Math.sqrt(lo * hi);
}

/** Deterministic noise in [-1, 1] for a key and a time. */
function noise(key: string, t = 0): number {
  let h = 2166136261;
  const text = `${key}@${Math.round(t)}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return (h / 0xffffffff) * 2 - 1;
}

/**
 * Telemetry of the demo mesh as a function of time, in the canonical signals' base units.
 *
 * The structure comes from the topology: which service calls which, how many calls each request
 * makes downstream (from the load generator's entrypoint weights), namespaces and teams. Every
 * service's signals run close to the given typical levels (within a few per cent), because the
 * sidecar normalises a service it has learned no baselines for with the model's pooled statistics
 * and the shipped model is a stand-in trained on synthetic services of that kind. Load follows a
 * daily cycle; latency and resources follow load. Edges carry the topology's call rates. A latency
 * fault delays every request the faulty service handles and, through the calls, the share of each
 * caller's requests that wait for it, which is what its latency quantiles show.
 */
export class MeshTelemetry {
  readonly #topology: Topology;
  readonly #options: MeshTelemetryOptions;
  /** Mean requests per second of each `service/endpoint` at load 1. */
  readonly #endpointRates = new Map<string, number>();
  /** Mean requests per second of each call edge at load 1, per server endpoint. */
  readonly #edgeCalls = new Map<string, Map<string, number>>();

  constructor(topology: Topology, options: MeshTelemetryOptions) {
    this.#topology = topology;
    this.#options = options;
    const weights = topology.entrypoints.reduce((sum, e) => sum + e.weight, 0);
    for (const entry of topology.entrypoints) {
      const rate = (options.requestsPerSecond * entry.weight) / weights;
      this.#addCall(options.externalClient, entry.service, entry.endpoint, rate);
    }
  }

  #addCall(client: string, service: string, endpoint: string, rate: number): void {
    const key = `${service}/${endpoint}`;
    this.#endpointRates.set(key, (this.#endpointRates.get(key) ?? 0) + rate);
    const edge = `${client}->${service}`;
    const calls = this.#edgeCalls.get(edge) ?? new Map<string, number>();
    calls.set(endpoint, (calls.get(endpoint) ?? 0) + rate);
    this.#edgeCalls.set(edge, calls);
    for (const call of this.#endpoint(service, endpoint).calls) {
      this.#addCall(service, call.service, call.endpoint, rate * call.probability);
    }
  }

  #endpoint(service: string, endpoint: string): EndpointSpec {
    const spec = this.#topology.services.get(service)?.endpoints.get(endpoint);
    if (!spec) {
      throw new Error(`the topology has no endpoint ${service}/${endpoint}`);
    }
    return spec;
  }

  /** Services with the identity labels Prometheus would hold for them. */
  services(): Array<{ service: string; namespace: string; team: string }> {
    return [...this.#topology.services.values()].map((s) => ({
      service: s.name,
      namespace: s.namespace,
      team: s.labels.team ?? '',
    }));
  }

  edges(): Edge[] {
    return [...this.#edgeCalls.keys()].map((id) => {
      const [client, server] = id.split('->') as [string, string];
      return { client, server };
    });
  }

  #exportsSignals(service: string): boolean {
    return !(this.#options.silent ?? []).includes(service);
  }

  #load(t: number): number {
    return 1 + 0.3 * Math.sin((2 * Math.PI * t) / DAY) + 0.06 * Math.sin((2 * Math.PI * t) / (41 * 60));
  }

  #jitter(key: string, t: number, amount: number): number {
    return 1 + amount * noise(key, t);
  }

  /** Calls per second from `service` to each server endpoint, at load 1. */
  #outboundCalls(service: string): Array<{ server: string; endpoint: string; rate: number }> {
    const out: Array<{ server: string; endpoint: string; rate: number }> = [];
    for (const [edge, calls] of this.#edgeCalls) {
      const [client, server] = edge.split('->') as [string, string];
      if (client === service) {
        for (const [endpoint, rate] of calls) {
          out.push({ server, endpoint, rate });
        }
      }
    }
    return out;
  }

  /** The fault delay every request of `service/endpoint` waits at t, its own and its calls'. */
  #delay(service: string, endpoint: string, t: number): number {
    const own = (this.#options.faults ?? [])
      .filter((f) => f.service === service && t >= f.from && t < f.to)
      .reduce((sum, f) => sum + f.extraSeconds, 0);
    const calls = this.#endpoint(service, endpoint).calls.map(
      (call) => call.probability * this.#delay(call.service, call.endpoint, t)
    );
    return (
      own + (this.#endpoint(service, endpoint).parallel ? Math.max(0, ...calls) : calls.reduce((a, b) => a + b, 0))
    );
  }

  /** A typical level, a few per cent off for each service, following load by `elasticity`. */
  #level(service: string, signal: string, t: number, elasticity: number): number {
    const level = this.#options.levels[signal];
    if (level === undefined) {
      throw new Error(`no typical level for ${signal}`);
    }
    return level * (1 + 0.04 * noise(`${service}:${signal}:level`)) * (1 + elasticity * (this.#load(t) - 1));
  }

  /** Median latency of a service's own work: p95 is P95_OVER_P50 times it. */
  #baseMedian(service: string, t: number): number {
    return this.#level(service, 'latency_p95', t, 0.1) / P95_OVER_P50;
  }

  /** The latency distribution of the requests a service answers at t, by endpoint and share. */
  #inboundLatency(service: string, t: number): Array<{ weight: number; latency: Latency }> {
    const mu = Math.log(this.#baseMedian(service, t));
    const parts: Array<{ weight: number; latency: Latency }> = [];
    for (const [key, rate] of this.#endpointRates) {
      const [name, endpoint] = key.split('/') as [string, string];
      if (name === service) {
        parts.push({ weight: rate, latency: { mu, sigma: SIGMA, shift: this.#delay(service, endpoint, t) } });
      }
    }
    return parts;
  }

  /** A canonical service signal at t, or null when the service does not export it. */
  serviceValue(service: string, signal: string, t: number): number | null {
    if (!this.#topology.services.has(service) || !this.#exportsSignals(service)) {
      return null;
    }
    const key = `${service}:${signal}`;
    const latency = (q: number) => mixtureQuantile(this.#inboundLatency(service, t), q) * this.#jitter(key, t, 0.035);
    switch (signal) {
      case 'request_rate':
      case 'outbound_request_rate':
      case 'network_receive_rate':
      case 'network_transmit_rate':
        return this.#level(service, signal, t, 1) * this.#jitter(key, t, 0.04);
      case 'cpu_usage':
        return this.#level(service, signal, t, 0.8) * this.#jitter(key, t, 0.04);
      case 'memory_working_set':
        return this.#level(service, signal, t, 0.05) * this.#jitter(key, t, 0.005);
      case 'error_ratio':
      case 'outbound_error_ratio':
        return this.#level(service, signal, t, 0) + 0.0002 * noise(key, t);
      case 'latency_p50':
        return latency(0.5);
      case 'latency_p95':
        return latency(0.95);
      case 'latency_p99':
        return latency(0.99);
      case 'outbound_latency_p95': {
        // A service that calls nothing in the mesh still calls out of it (a database, a gateway).
        const outbound = this.#outboundCalls(service);
        const typical = this.#level(service, signal, t, 0.1);
        const mu = Math.log(typical / P95_OVER_P50);
        const parts = outbound.map((c) => ({
          weight: c.rate,
          latency: { mu, sigma: SIGMA, shift: this.#delay(c.server, c.endpoint, t) },
        }));
        return (parts.length === 0 ? typical : mixtureQuantile(parts, 0.95)) * this.#jitter(key, t, 0.01);
      }
      default:
        return null;
    }
  }

  /** A canonical edge signal at t, or null for an edge the mesh does not have. */
  edgeValue(client: string, server: string, signal: string, t: number): number | null {
    const calls = this.#edgeCalls.get(`${client}->${server}`);
    if (!calls) {
      return null;
    }
    const key = `${client}->${server}:${signal}`;
    const rate = [...calls.values()].reduce((sum, r) => sum + r, 0) * this.#load(t);
    switch (signal) {
      case 'request_rate':
        return rate * this.#jitter(key, t, 0.03);
      case 'error_ratio':
        return Math.max(0, 0.002 + 0.0005 * noise(key, t));
      case 'latency_p95': {
        const mu = Math.log(this.#baseMedian(server, t));
        const parts = [...calls].map(([endpoint, weight]) => ({
          weight,
          latency: { mu, sigma: SIGMA, shift: this.#delay(server, endpoint, t) },
        }));
        return mixtureQuantile(parts, 0.95) * this.#jitter(key, t, 0.04);
      }
      default:
        return null;
    }
  }
}
