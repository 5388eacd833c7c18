import { createRandom, type Random } from '../random.js';
import type { CallSpec, EndpointSpec, EntrypointSpec, ServiceSpec, Topology } from './types.js';

export interface GenerateTopologyOptions {
  /** Number of services, 1 to 1000. */
  services: number;
  seed: number;
  /** Default `synthetic-<services>-<seed>`. */
  name?: string;
  /**
   * Mean number of services each non-leaf service depends on (its out-degree in the service
   * graph), in [1, 8]. Default 3. Each endpoint calls a subset of its service's dependencies.
   */
  fanOut?: number;
  /** Number of namespaces the services are spread over, 1 to 20. Default grows with √services, at most 7. */
  namespaces?: number;
  /**
   * Bound on the expected number of downstream calls, at every depth, that one request to any
   * endpoint sets off (see downstreamCalls). Default 30. Enforced by construction.
   */
  maxExpectedCalls?: number;
  /** Memory all services together really allocate in the mesh, split among them. Default 512 MiB. */
  totalMemoryBytes?: number;
}

export const MAX_GENERATED_SERVICES = 1000;
export const DEFAULT_FAN_OUT = 3;
export const DEFAULT_MAX_EXPECTED_CALLS = 30;

/**
 * Business domains the services are drawn from: each becomes a namespace with its teams, so a
 * generated graph has the community structure of a real one (most calls stay in the domain).
 */
const DOMAINS: ReadonlyArray<{ namespace: string; teams: string[]; nouns: string[] }> = [
  {
    namespace: 'storefront',
    teams: ['web', 'mobile', 'discovery'],
    nouns: ['web', 'mobile', 'search', 'catalog', 'product', 'review', 'media', 'recommend', 'ad', 'content'],
  },
  {
    namespace: 'commerce',
    teams: ['checkout', 'cart', 'pricing'],
    nouns: ['cart', 'checkout', 'order', 'pricing', 'promo', 'tax', 'inventory', 'wishlist', 'quote'],
  },
  {
    namespace: 'payments',
    teams: ['payments', 'risk'],
    nouns: ['payment', 'billing', 'invoice', 'fraud', 'wallet', 'ledger', 'refund', 'payout'],
  },
  {
    namespace: 'identity',
    teams: ['identity', 'security'],
    nouns: ['user', 'auth', 'session', 'profile', 'consent', 'token', 'account'],
  },
  {
    namespace: 'fulfilment',
    teams: ['logistics', 'warehouse'],
    nouns: ['shipping', 'warehouse', 'delivery', 'tracking', 'returns', 'address', 'carrier'],
  },
  {
    namespace: 'platform',
    teams: ['platform', 'sre'],
    nouns: ['config', 'flags', 'notify', 'email', 'audit', 'geo', 'currency', 'ratelimit'],
  },
  {
    namespace: 'data',
    teams: ['data', 'ml'],
    nouns: ['analytics', 'events', 'features', 'ranking', 'experiment', 'reporting'],
  },
];

type Tier = 'edge' | 'mid' | 'data';

const ROLES: Record<Tier, string[]> = {
  edge: ['gateway', 'web', 'api', 'bff'],
  mid: ['service', 'api', 'worker', 'engine', 'manager', 'aggregator'],
  data: ['db', 'cache', 'store', 'queue', 'index'],
};

const EDGE_ENDPOINTS = ['home', 'browse', 'search', 'detail', 'submit', 'login', 'status', 'list'];
const MID_ENDPOINTS = ['get', 'list', 'create', 'update', 'delete', 'search', 'validate', 'compute'];
const DATA_ENDPOINTS: Record<string, string[]> = {
  db: ['query', 'write'],
  cache: ['get', 'set'],
  store: ['get', 'put'],
  queue: ['publish', 'consume'],
  index: ['search', 'update'],
};

/** Most calls are always made; some only on some requests (cache misses, feature flags, retries). */
const CALL_PROBABILITIES: ReadonlyArray<[number, number]> = [
  [1, 0.6],
  [0.5, 0.2],
  [0.2, 0.12],
  [0.05, 0.08],
];

/** No endpoint makes more direct calls than this, whatever the fan-out draws. */
const MAX_CALLS_PER_ENDPOINT = 12;
/**
 * Lowest probability a call is lowered to. Probabilities are kept to three decimals, so the YAML
 * form is exactly the generated topology; and MAX_CALLS_PER_ENDPOINT calls at this probability
 * cost at most 12 · 0.001 · (1 + budget) <= budget for any budget >= 1.
 */
const MIN_PROBABILITY = 0.001;

interface Draft {
  spec: ServiceSpec;
  tier: Tier;
  layer: number;
  domain: number;
  /** Relative chance of being picked as a dependency: a few hubs, many rarely used services. */
  popularity: number;
  deps: Set<string>;
  callers: number;
}

/**
 * A seeded synthetic topology: a layered DAG of `services` services. Layer 0 is the edge tier
 * (entrypoints), layers 1..L the mid tier, the last layer leaf data services (databases, caches,
 * queues) that call nothing. Calls only go to deeper layers, so the graph is acyclic by
 * construction.
 *
 * Layers are built from the bottom up, so the expected downstream calls of every possible
 * target are known when a caller picks it. A caller whose calls would together exceed
 * maxExpectedCalls has the probabilities of its costliest calls lowered until they fit, so:
 *
 *   for every endpoint e, Σ over its calls p·(1 + expected(target)) <= maxExpectedCalls,
 *
 * i.e. one request to any endpoint (an edge entrypoint included) causes on average at most
 * maxExpectedCalls calls in the whole mesh. Every service is called by some service of the layer
 * above, so all of them are reachable from the entrypoints.
 *
 * The same (options, seed) always gives the same topology.
 */
export function generateTopology(options: GenerateTopologyOptions): Topology {
  const n = integerOption('services', options.services, 1, MAX_GENERATED_SERVICES);
  const fanOut = numberOption('fanOut', options.fanOut ?? DEFAULT_FAN_OUT, 1, 8);
  const namespaceCount = integerOption(
    'namespaces',
    options.namespaces ?? Math.min(DOMAINS.length, Math.max(1, Math.round(Math.sqrt(n) / 2))),
    1,
    20
  );
  const budget = numberOption('maxExpectedCalls', options.maxExpectedCalls ?? DEFAULT_MAX_EXPECTED_CALLS, 1, 10_000);
  const totalMemory = numberOption(
    'totalMemoryBytes',
    options.totalMemoryBytes ?? 512 * 1024 * 1024,
    0,
    64 * 1024 ** 3
  );
  const random = createRandom(options.seed);

  const layers = layerSizes(n);
  const drafts = createServices(layers, namespaceCount, totalMemory / n, random.fork('services'));
  const byLayer = layers.map((_, layer) => drafts.filter((d) => d.layer === layer));
  const byName = new Map(drafts.map((d) => [d.spec.name, d]));
  const expected = new Map<string, number>();
  const endpointCallers = new Map<string, number>();
  const wiring = random.fork('calls');

  for (let layer = layers.length - 1; layer >= 0; layer--) {
    const here = byLayer[layer]!;
    if (layer < layers.length - 1) {
      const deeper = drafts.filter((d) => d.layer > layer);
      for (const caller of here) {
        pickDependencies(caller, deeper, fanOut, wiring);
      }
      // Every service of the next layer down gets a caller here, or nothing could reach it.
      for (const orphan of byLayer[layer + 1]!.filter((d) => d.callers === 0)) {
        adoptOrphan(orphan, here, wiring);
      }
      for (const caller of here) {
        wireEndpoints(caller, byName, expected, endpointCallers, budget, wiring);
      }
    }
    for (const d of here) {
      for (const endpoint of d.spec.endpoints.values()) {
        expected.set(`${d.spec.name}/${endpoint.name}`, expectedOf(endpoint, expected));
      }
    }
  }

  const mix = random.fork('entrypoints');
  const entrypoints: EntrypointSpec[] = [];
  for (const edge of byLayer[0]!) {
    for (const endpoint of edge.spec.endpoints.values()) {
      // Integer weights from a skewed draw: a few request types dominate, as in a real shop.
      entrypoints.push({
        service: edge.spec.name,
        endpoint: endpoint.name,
        weight: Math.max(1, Math.min(20, Math.round(Math.exp(mix.normal() * 0.8) * 3))),
      });
    }
  }

  return {
    name: options.name ?? `synthetic-${n}-${options.seed}`,
    services: new Map(drafts.map((d) => [d.spec.name, d.spec])),
    entrypoints,
  };
}

/** Sizes of the layers: edge, mid layers, data. Deeper mid tiers for bigger meshes. */
function layerSizes(n: number): number[] {
  if (n === 1) {
    return [1];
  }
  const edge = Math.max(1, Math.round(n * 0.1));
  const data = Math.max(1, Math.round(n * 0.3));
  const mid = n - edge - data;
  if (mid <= 0) {
    return [edge, n - edge];
  }
  const midLayers = Math.min(mid, n < 20 ? 1 : n < 150 ? 2 : 3);
  const sizes = [edge];
  for (let i = 0; i < midLayers; i++) {
    // Spread the remainder over the upper mid layers, which have more to cover below them.
    sizes.push(Math.floor(mid / midLayers) + (i < mid % midLayers ? 1 : 0));
  }
  sizes.push(data);
  return sizes;
}

function createServices(layers: number[], namespaceCount: number, memoryPerService: number, random: Random): Draft[] {
  const drafts: Draft[] = [];
  const taken = new Set<string>();
  const last = layers.length - 1;
  layers.forEach((size, layer) => {
    const tier: Tier = layer === 0 ? 'edge' : layer === last ? 'data' : 'mid';
    // Round-robin from a random start, so every namespace gets services in every tier.
    const offset = Math.floor(random.next() * namespaceCount);
    for (let i = 0; i < size; i++) {
      const ns = (offset + i) % namespaceCount;
      const domain = DOMAINS[ns % DOMAINS.length]!;
      const namespace =
        ns < DOMAINS.length ? domain.namespace : `${domain.namespace}-${Math.floor(ns / DOMAINS.length) + 1}`;
      const role = pick(ROLES[tier], random);
      const name = uniqueName(`${pick(domain.nouns, random)}-${role}`, taken);
      drafts.push({
        spec: {
          name,
          namespace,
          labels: { team: pick(domain.teams, random), tier, layer: String(layer) },
          ...serviceResources(tier, memoryPerService, random),
          endpoints: endpointsFor(tier, role, random),
        },
        tier,
        layer,
        domain: ns,
        popularity: Math.exp(random.normal() * 0.8),
        deps: new Set(),
        callers: 0,
      });
    }
  });
  return drafts;
}

/** Latency, payload, CPU and memory typical of the tier, rounded so they survive YAML unchanged. */
function serviceResources(
  tier: Tier,
  memoryPerService: number,
  random: Random
): Omit<ServiceSpec, 'name' | 'namespace' | 'labels' | 'endpoints'> {
  const between = (lo: number, hi: number): number => lo + (hi - lo) * random.next();
  const ranges = {
    edge: { median: [2, 8], tail: [3, 6], payload: [4096, 32768], cpu: [0.05, 0.3] },
    mid: { median: [1, 10], tail: [3, 8], payload: [512, 8192], cpu: [0.02, 0.2] },
    data: { median: [0.3, 3], tail: [5, 12], payload: [256, 16384], cpu: [0.01, 0.1] },
  }[tier];
  const medianMs = round(between(ranges.median[0]!, ranges.median[1]!), 2);
  return {
    latency: { medianMs, p99Ms: round(medianMs * between(ranges.tail[0]!, ranges.tail[1]!), 2) },
    errorRate: 0,
    payloadBytes: Math.round(between(ranges.payload[0]!, ranges.payload[1]!)),
    cpuMsPerRequest: round(between(ranges.cpu[0]!, ranges.cpu[1]!), 3),
    memoryBytes: Math.round(memoryPerService * between(0.5, 1.5)),
  };
}

function endpointsFor(tier: Tier, role: string, random: Random): Map<string, EndpointSpec> {
  const names =
    tier === 'data'
      ? DATA_ENDPOINTS[role]!.slice(0, 1 + Math.floor(random.next() * 2))
      : sample(
          tier === 'edge' ? EDGE_ENDPOINTS : MID_ENDPOINTS,
          tier === 'edge' ? 2 + Math.floor(random.next() * 3) : 1 + Math.floor(random.next() * 3),
          random
        );
  return new Map(names.map((name) => [name, { name, calls: [], parallel: false }]));
}

/**
 * Draws the services `caller` depends on: mostly the next layer down and its own domain, with
 * popular services (hubs) picked more often, like auth or config services in real meshes.
 */
function pickDependencies(caller: Draft, deeper: Draft[], fanOut: number, random: Random): void {
  const count = Math.min(deeper.length, 1 + poisson(fanOut - 1, random), MAX_CALLS_PER_ENDPOINT);
  const weights = deeper.map((d) => {
    const gap = d.layer - caller.layer;
    const layerAffinity = gap === 1 ? 1 : d.tier === 'data' ? 0.5 : gap === 2 ? 0.3 : 0.1;
    return d.popularity * layerAffinity * (d.domain === caller.domain ? 3 : 1);
  });
  for (const target of weightedSample(deeper, weights, count, random)) {
    addDependency(caller, target);
  }
}

/** Gives an uncalled service a caller, preferring its own domain and callers with few dependencies. */
function adoptOrphan(orphan: Draft, callers: Draft[], random: Random): void {
  const weights = callers.map((c) => (c.domain === orphan.domain ? 3 : 1) / (1 + c.deps.size));
  addDependency(weightedSample(callers, weights, 1, random)[0]!, orphan);
}

function addDependency(caller: Draft, target: Draft): void {
  if (!caller.deps.has(target.spec.name)) {
    caller.deps.add(target.spec.name);
    target.callers += 1;
  }
}

/**
 * Turns a service's dependencies into calls of its endpoints: each endpoint calls a random
 * subset, every dependency is called by at least one endpoint, and the expected downstream calls
 * of each endpoint are brought within the budget.
 */
function wireEndpoints(
  caller: Draft,
  byName: Map<string, Draft>,
  expected: Map<string, number>,
  endpointCallers: Map<string, number>,
  budget: number,
  random: Random
): void {
  const endpoints = [...caller.spec.endpoints.values()];
  const chosen = endpoints.map(() => new Set<string>());
  for (const dep of caller.deps) {
    let used = false;
    endpoints.forEach((_, i) => {
      if (random.next() < 0.6) {
        chosen[i]!.add(dep);
        used = true;
      }
    });
    if (!used) {
      chosen[Math.floor(random.next() * endpoints.length)]!.add(dep);
    }
  }
  endpoints.forEach((endpoint, i) => {
    const deps = [...chosen[i]!].slice(0, MAX_CALLS_PER_ENDPOINT);
    endpoint.calls = deps.map((dep): CallSpec => {
      const target = byName.get(dep)!;
      // Prefer endpoints nobody calls yet, so that every endpoint tends to see traffic.
      const targetEndpoints = [...target.spec.endpoints.keys()];
      const weights = targetEndpoints.map((e) => 1 / (1 + 4 * (endpointCallers.get(`${dep}/${e}`) ?? 0)));
      const targetEndpoint = weightedSample(targetEndpoints, weights, 1, random)[0]!;
      endpointCallers.set(`${dep}/${targetEndpoint}`, (endpointCallers.get(`${dep}/${targetEndpoint}`) ?? 0) + 1);
      return { service: dep, endpoint: targetEndpoint, probability: drawProbability(random) };
    });
    endpoint.parallel = endpoint.calls.length > 1 && random.next() < 0.4;
    fitBudget(endpoint, expected, budget);
  });
}

/**
 * Lowers the probabilities of the costliest calls until Σ p·(1 + expected(target)) <= budget.
 * A call is never removed (that could leave its target unreachable), and since every target is
 * itself within the budget and an endpoint has at most MAX_CALLS_PER_ENDPOINT calls, lowering
 * probabilities always gets there.
 */
function fitBudget(endpoint: EndpointSpec, expected: Map<string, number>, budget: number): void {
  const cost = (c: CallSpec): number => 1 + (expected.get(`${c.service}/${c.endpoint}`) ?? 0);
  let total = expectedOf(endpoint, expected);
  const byCost = [...endpoint.calls].sort((a, b) => cost(b) - cost(a));
  for (const call of byCost) {
    if (total <= budget) {
      break;
    }
    const excess = total - budget;
    // Round down to the kept precision, so the rounded value still fits.
    const lowered = Math.max(MIN_PROBABILITY, Math.floor((call.probability - excess / cost(call)) * 1000) / 1000);
    if (lowered < call.probability) {
      total -= (call.probability - lowered) * cost(call);
      call.probability = lowered;
    }
  }
}

function expectedOf(endpoint: EndpointSpec, expected: Map<string, number>): number {
  return endpoint.calls.reduce(
    (sum, c) => sum + c.probability * (1 + (expected.get(`${c.service}/${c.endpoint}`) ?? 0)),
    0
  );
}

function drawProbability(random: Random): number {
  let u = random.next();
  for (const [p, share] of CALL_PROBABILITIES) {
    if (u < share) {
      return p;
    }
    u -= share;
  }
  return 1;
}

/** Knuth's method; fine for the small means used here. */
function poisson(mean: number, random: Random): number {
  if (mean <= 0) {
    return 0;
  }
  const limit = Math.exp(-mean);
  let k = 0;
  let product = random.next();
  while (product > limit) {
    k += 1;
    product *= random.next();
  }
  return k;
}

/** `count` distinct items, each draw in proportion to the remaining weights. */
function weightedSample<T>(items: readonly T[], weights: readonly number[], count: number, random: Random): T[] {
  const pool = items.map((item, i) => ({ item, weight: weights[i]! }));
  let total = pool.reduce((s, p) => s + p.weight, 0);
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) {
    let u = random.next() * total;
    let i = 0;
    while (i < pool.length - 1 && u >= pool[i]!.weight) {
      u -= pool[i]!.weight;
      i++;
    }
    const [chosen] = pool.splice(i, 1);
    picked.push(chosen!.item);
    total -= chosen!.weight;
  }
  return picked;
}

function sample<T>(items: readonly T[], count: number, random: Random): T[] {
  return weightedSample(
    items,
    items.map(() => 1),
    Math.min(count, items.length),
    random
  );
}

function pick<T>(items: readonly T[], random: Random): T {
  return items[Math.floor(random.next() * items.length)]!;
}

function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let k = 2; taken.has(name); k++) {
    name = `${base}-${k}`;
  }
  taken.add(name);
  return name;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

function integerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function numberOption(name: string, value: number, min: number, max: number): number {
  if (!(value >= min && value <= max)) {
    throw new RangeError(`${name} must be a number from ${min} to ${max}, got ${value}`);
  }
  return value;
}
