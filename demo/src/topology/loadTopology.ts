import { readFileSync } from 'node:fs';
import type { Node } from 'yaml';
import { closestName } from './closestName.js';
import { findCallCycle } from './findCallCycle.js';
import { TopologyError } from './TopologyError.js';
import type { CallSpec, EndpointSpec, EntrypointSpec, LatencySpec, ServiceSpec, Topology } from './types.js';
import { MapView, YamlReader } from './YamlReader.js';

/**
 * Topology files: parsing, defaults and validation.
 *
 * ```yaml
 * name: online-boutique
 * namespace: boutique            # optional, default "default"; a service may override it
 * defaults: { latency: { medianMs: 2, p99Ms: 10 }, errorRate: 0, payloadBytes: 1024,
 *             cpuMsPerRequest: 0.2, memoryBytes: 16777216 }   # optional
 * services:
 *   frontend:
 *     labels: { team: web }
 *     latency: { medianMs: 4, p99Ms: 20 }
 *     endpoints:
 *       home:
 *         parallel: false
 *         calls:
 *           - { service: adservice, endpoint: getAds, probability: 0.8, required: false }
 *   adservice:
 *     endpoints: { getAds: {} }
 * entrypoints:
 *   - { service: frontend, endpoint: home, weight: 1 }
 * ```
 *
 * A latency block giving only one of medianMs / p99Ms keeps the defaults' tail ratio for the other.
 * Every problem is a TopologyError naming file, line, column, the problem and the fix.
 */

/** Per-service values used when a service does not set them. */
export interface TopologyDefaults {
  latency: LatencySpec;
  errorRate: number;
  payloadBytes: number;
  cpuMsPerRequest: number;
  memoryBytes: number;
}

/** Defaults when the file has no `defaults` block: a small, fast, healthy service. */
export const BUILTIN_DEFAULTS: Readonly<TopologyDefaults> = Object.freeze({
  latency: Object.freeze({ medianMs: 2, p99Ms: 10 }),
  errorRate: 0,
  payloadBytes: 1024,
  cpuMsPerRequest: 0.2,
  memoryBytes: 8 * 1024 * 1024,
});

/** Service names become pod names, Istio workload labels and DNS hosts, so they follow RFC 1123 labels. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_LABEL_HINT =
  'use lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
/** Endpoint names become URL path segments and http_route labels. */
const ENDPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ENDPOINT_NAME_HINT = 'use letters, digits, "_", "." and "-", starting with a letter or digit';

const TOP_KEYS = ['name', 'namespace', 'defaults', 'services', 'entrypoints'] as const;
const DEFAULTS_KEYS = ['latency', 'errorRate', 'payloadBytes', 'cpuMsPerRequest', 'memoryBytes'] as const;
const SERVICE_KEYS = ['namespace', 'labels', ...DEFAULTS_KEYS, 'endpoints'] as const;
const LATENCY_KEYS = ['medianMs', 'p99Ms'] as const;
const ENDPOINT_KEYS = ['calls', 'parallel'] as const;
const CALL_KEYS = ['service', 'endpoint', 'probability', 'required'] as const;
const ENTRYPOINT_KEYS = ['service', 'endpoint', 'weight'] as const;

/** Reads and validates a topology file; `displayName` (default: the path as given) prefixes messages. */
export function loadTopology(path: string, displayName: string = path): Topology {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new TopologyError(displayName, 0, 0, `cannot read topology: ${reason} (check the --topology path)`);
  }
  return parseTopology(text, displayName);
}

/** Parses topology YAML from a string; `displayName` stands for the file in messages. */
export function parseTopology(text: string, displayName = '<topology>'): Topology {
  const reader = YamlReader.parse(
    text,
    displayName,
    (file, line, column, problem) => new TopologyError(file, line, column, problem)
  );
  return new TopologyParser(reader).parse();
}

/** Where each call and entrypoint came from, for the cross-reference checks after parsing. */
interface Located<T> {
  value: T;
  view: MapView;
}

class TopologyParser {
  private readonly calls: Array<Located<CallSpec> & { service: string; endpoint: string }> = [];
  private readonly callNodes = new Map<CallSpec, Node>();

  constructor(private readonly reader: YamlReader) {}

  parse(): Topology {
    const top = this.reader.rootMap('topology file', 'name, services and entrypoints');
    top.checkKeys(TOP_KEYS);
    const name = top.string('name', { required: true, hint: 'the topology name, e.g. "online-boutique"' });
    const namespace = top.string('namespace', { default: 'default', pattern: DNS_LABEL, patternHint: DNS_LABEL_HINT });
    const defaults = this.parseDefaults(top.map('defaults', 'defaults'));

    const servicesNode = top.requireKey('services', 'a mapping of service name to service');
    const servicesView = this.reader.asOptionalMap(servicesNode, 'services');
    const entries = servicesView?.entries() ?? [];
    if (entries.length === 0) {
      this.reader.fail(servicesNode, 'services is empty: define at least one service with at least one endpoint');
    }
    const services = new Map<string, ServiceSpec>();
    for (const { key, keyNode, value } of entries) {
      if (!DNS_LABEL.test(key)) {
        this.reader.fail(keyNode, `service name "${key}" is not allowed (${DNS_LABEL_HINT})`);
      }
      services.set(key, this.parseService(key, value, namespace, defaults));
    }

    this.checkCalls(services);
    const cycle = findCallCycle(services);
    if (cycle) {
      const path = cycle.path.map((n) => `${n.service}.${n.endpoint}`).join(' -> ');
      this.reader.fail(
        this.callNodes.get(cycle.closingCall),
        `call cycle ${path}: a request would recurse forever; remove or redirect one of these calls`
      );
    }
    const entrypoints = this.parseEntrypoints(top, services);
    return { name, services, entrypoints };
  }

  private parseDefaults(view: MapView | undefined): TopologyDefaults {
    if (!view) {
      return { ...BUILTIN_DEFAULTS, latency: { ...BUILTIN_DEFAULTS.latency } };
    }
    view.checkKeys(DEFAULTS_KEYS);
    return this.parseResourceFields(view, BUILTIN_DEFAULTS);
  }

  /** The fields a service shares with `defaults`, each falling back to `base`. */
  private parseResourceFields(view: MapView, base: Readonly<TopologyDefaults>): TopologyDefaults {
    return {
      latency: this.parseLatency(view, base.latency),
      errorRate: view.number('errorRate', {
        default: base.errorRate,
        min: 0,
        max: 1,
        hint: '(a probability: 0.01 means 1% of requests fail)',
      }),
      payloadBytes: view.number('payloadBytes', {
        default: base.payloadBytes,
        min: 0,
        integer: true,
        hint: '(response body size in bytes)',
      }),
      cpuMsPerRequest: view.number('cpuMsPerRequest', {
        default: base.cpuMsPerRequest,
        min: 0,
        hint: '(CPU milliseconds per request)',
      }),
      memoryBytes: view.number('memoryBytes', {
        default: base.memoryBytes,
        min: 0,
        integer: true,
        hint: '(bytes held by the service)',
      }),
    };
  }

  private parseLatency(parent: MapView, base: LatencySpec): LatencySpec {
    const view = parent.map('latency', `${parent.what} latency`);
    if (!view) {
      return { ...base };
    }
    view.checkKeys(LATENCY_KEYS);
    const ratio = base.p99Ms / base.medianMs;
    const rule = { min: 0, exclusiveMin: true, hint: '(milliseconds)' };
    const givenMedian = view.number('medianMs', rule);
    const givenP99 = view.number('p99Ms', rule);
    const median = givenMedian ?? (givenP99 !== undefined ? givenP99 / ratio : base.medianMs);
    const p99Ms = givenP99 ?? (givenMedian !== undefined ? givenMedian * ratio : base.p99Ms);
    if (p99Ms < median) {
      view.fail(
        'p99Ms',
        `${view.what}: p99Ms (${p99Ms}) must be >= medianMs (${median}); the 99th percentile cannot be below the median`
      );
    }
    return { medianMs: median, p99Ms };
  }

  private parseService(name: string, node: Node, topNamespace: string, defaults: TopologyDefaults): ServiceSpec {
    const what = `service "${name}"`;
    const view = this.reader.asOptionalMap(node, what);
    if (!view) {
      this.reader.fail(node, `${what} has no endpoints: add "endpoints: { <name>: {} }"`);
    }
    view.checkKeys(SERVICE_KEYS);
    const namespace = view.string('namespace', {
      default: topNamespace,
      pattern: DNS_LABEL,
      patternHint: DNS_LABEL_HINT,
    });
    const labels = this.parseLabels(view);
    const fields = this.parseResourceFields(view, defaults);

    const endpointsNode = view.requireKey('endpoints', 'a mapping of endpoint name to { calls, parallel }');
    const endpointEntries = this.reader.asOptionalMap(endpointsNode, `${what} endpoints`)?.entries() ?? [];
    if (endpointEntries.length === 0) {
      this.reader.fail(endpointsNode, `${what} has no endpoints: add at least one, e.g. "endpoints: { get: {} }"`);
    }
    const endpoints = new Map<string, EndpointSpec>();
    for (const entry of endpointEntries) {
      if (!ENDPOINT_NAME.test(entry.key)) {
        this.reader.fail(entry.keyNode, `${what}: endpoint name "${entry.key}" is not allowed (${ENDPOINT_NAME_HINT})`);
      }
      endpoints.set(entry.key, this.parseEndpoint(name, entry.key, entry.value));
    }
    return { name, namespace, labels, ...fields, endpoints };
  }

  private parseLabels(view: MapView): Record<string, string> {
    const labelsView = view.map('labels', `${view.what} labels`);
    const labels: Record<string, string> = {};
    for (const { key, keyNode, value } of labelsView?.entries() ?? []) {
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key)) {
        this.reader.fail(
          keyNode,
          `${view.what}: label name "${key}" is not a valid Prometheus label name (letters, digits and "_", not starting with a digit)`
        );
      }
      const scalar = (value as { value?: unknown }).value;
      if (typeof scalar !== 'string' && typeof scalar !== 'number' && typeof scalar !== 'boolean') {
        this.reader.fail(value, `${view.what}: label "${key}" must have a plain value (string or number)`);
      }
      labels[key] = String(scalar);
    }
    return labels;
  }

  private parseEndpoint(service: string, name: string, node: Node): EndpointSpec {
    const what = `service "${service}" endpoint "${name}"`;
    const view = this.reader.asOptionalMap(node, what);
    if (!view) {
      return { name, calls: [], parallel: false };
    }
    view.checkKeys(ENDPOINT_KEYS);
    const parallel = view.boolean('parallel', false);
    const calls: CallSpec[] = [];
    for (const callNode of view.seq('calls', `${what} calls`) ?? []) {
      const callView = this.reader.asMap(callNode, `${what} call`);
      callView.checkKeys(CALL_KEYS);
      const call: CallSpec = {
        service: callView.string('service', { required: true, hint: 'the called service' }),
        endpoint: callView.string('endpoint', { required: true, hint: 'the called endpoint of that service' }),
        probability: callView.number('probability', {
          default: 1,
          min: 0,
          max: 1,
          hint: '(chance that the call is made)',
        }),
        required: callView.boolean('required', true),
      };
      calls.push(call);
      this.calls.push({ value: call, view: callView, service, endpoint: name });
      this.callNodes.set(call, callView.node as unknown as Node);
    }
    return { name, calls, parallel };
  }

  private checkCalls(services: Map<string, ServiceSpec>): void {
    for (const { value: call, view, service, endpoint } of this.calls) {
      const what = `service "${service}" endpoint "${endpoint}"`;
      this.checkTarget(services, call.service, call.endpoint, view, `${what} calls`);
    }
  }

  /** Fails when `service`/`endpoint` does not exist, with the closest names as suggestions. */
  private checkTarget(
    services: Map<string, ServiceSpec>,
    service: string,
    endpoint: string,
    view: MapView,
    what: string
  ): void {
    const target = services.get(service);
    if (!target) {
      const guess = closestName(service, services.keys());
      const known = listNames([...services.keys()]);
      view.fail(
        'service',
        `${what} unknown service "${service}" (${guess ? `did you mean "${guess}"? ` : ''}known: ${known})`
      );
    }
    if (!target.endpoints.has(endpoint)) {
      const guess = closestName(endpoint, target.endpoints.keys());
      const known = listNames([...target.endpoints.keys()]);
      view.fail(
        'endpoint',
        `${what} unknown endpoint "${endpoint}" of service "${service}" (${guess ? `did you mean "${guess}"? ` : ''}its endpoints: ${known})`
      );
    }
  }

  private parseEntrypoints(top: MapView, services: Map<string, ServiceSpec>): EntrypointSpec[] {
    const node = top.requireKey('entrypoints', 'a list of { service, endpoint, weight } the load generator calls');
    const items = this.reader.asSeq(node, 'entrypoints');
    if (items.length === 0) {
      this.reader.fail(
        node,
        'entrypoints is empty: list at least one { service, endpoint, weight } for the load generator to call'
      );
    }
    return items.map((item, i) => {
      const view = this.reader.asMap(item, `entrypoint ${i + 1}`);
      view.checkKeys(ENTRYPOINT_KEYS);
      const service = view.string('service', { required: true, hint: 'the service the load generator calls' });
      const endpoint = view.string('endpoint', { required: true, hint: 'the endpoint of that service' });
      const weight = view.number('weight', {
        default: 1,
        min: 0,
        exclusiveMin: true,
        hint: '(relative share of the load)',
      });
      this.checkTarget(services, service, endpoint, view, `entrypoint ${i + 1} references`);
      return { service, endpoint, weight };
    });
  }
}

/** A readable list of names that stays short for topologies with a thousand services. */
function listNames(names: string[]): string {
  const shown = names.slice(0, 12).join(', ');
  return names.length > 12 ? `${shown}, ... ${names.length - 12} more` : shown;
}
