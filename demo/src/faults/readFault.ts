import type { Node } from 'yaml';
import { LOAD_GENERATOR_WORKLOAD } from '../mesh/loadGeneratorWorkload.js';
import { callEdges } from '../topology/callEdges.js';
import { closestName } from '../topology/closestName.js';
import type { Edge, Topology } from '../topology/types.js';
import type { MapView, YamlReader } from '../topology/YamlReader.js';
import { FAULT_TYPES, type FaultSpec, type FaultType } from './types.js';

/**
 * One fault from a scenario file or a control API request, validated against the topology.
 *
 * Common keys: id, type, startSeconds (default 0), durationSeconds (default: until removed), and
 * either `service` or `edge: { client, server }` depending on the type. Type parameters:
 *   delay        delayMs (required), percentage 0..100 (default 100)
 *   abort        httpStatus 400..599 (default 503), percentage 0..100 (default 100)
 *   cpu          extraCpuMsPerRequest >= 0, hogCores 0..0.9 (at least one of them > 0)
 *   memory-leak  bytesPerSecond > 0 (required), maxBytes > 0 (default 512 MiB)
 *   dead         mode: hang | refuse (default hang)
 *   slow         delayMs > 0 (required)
 */
export function readFault(reader: YamlReader, node: Node, label: string, topology: Topology): FaultSpec {
  const head = reader.asMap(node, label);
  const id = head.string('id', {
    required: true,
    hint: 'a unique name for the fault, e.g. "delay-shipping"',
    pattern: /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/,
    patternHint: 'use letters, digits, "_", ".", ":" and "-", at most 128 characters',
  });
  const what = `fault "${id}"`;
  const view = reader.asMap(node, what);
  const typeName = view.string('type', { required: true, hint: `one of ${FAULT_TYPES.join(', ')}` });
  if (!(FAULT_TYPES as readonly string[]).includes(typeName)) {
    const guess = closestName(typeName, FAULT_TYPES);
    view.fail(
      'type',
      `${what}: unknown type "${typeName}" (${guess ? `did you mean "${guess}"? ` : ''}known: ${FAULT_TYPES.join(', ')})`
    );
  }
  const type = typeName as FaultType;
  const timing = {
    id,
    startSeconds: view.number('startSeconds', { default: 0, min: 0, hint: '(seconds after the scenario starts)' }),
    durationSeconds:
      view.number('durationSeconds', {
        min: 0,
        exclusiveMin: true,
        hint: '(seconds; leave out for "until removed")',
      }) ?? null,
  };
  const common = ['id', 'type', 'startSeconds', 'durationSeconds'];
  switch (type) {
    case 'delay': {
      view.checkKeys([...common, 'edge', 'delayMs', 'percentage']);
      return {
        ...timing,
        type,
        edge: readEdge(reader, view, topology),
        delayMs: requiredNumber(view, 'delayMs', {
          min: 0,
          exclusiveMin: true,
          hint: '(milliseconds added to each affected call)',
        }),
        percentage: readPercentage(view),
      };
    }
    case 'abort': {
      view.checkKeys([...common, 'edge', 'httpStatus', 'percentage']);
      return {
        ...timing,
        type,
        edge: readEdge(reader, view, topology),
        httpStatus: view.number('httpStatus', {
          default: 503,
          min: 400,
          max: 599,
          integer: true,
          hint: '(an HTTP error status)',
        }),
        percentage: readPercentage(view),
      };
    }
    case 'cpu': {
      view.checkKeys([...common, 'service', 'extraCpuMsPerRequest', 'hogCores']);
      const service = readService(view, topology);
      const extraCpuMsPerRequest = view.number('extraCpuMsPerRequest', {
        default: 0,
        min: 0,
        max: 1000,
        hint: '(CPU milliseconds)',
      });
      const hogCores = view.number('hogCores', {
        default: 0,
        min: 0,
        max: 0.9,
        hint: '(cores of background CPU; all services share one event loop, so at most 0.9)',
      });
      if (extraCpuMsPerRequest === 0 && hogCores === 0) {
        reader.fail(
          view.node as unknown as Node,
          `${what}: a cpu fault needs extraCpuMsPerRequest > 0 or hogCores > 0`
        );
      }
      return { ...timing, type, service, extraCpuMsPerRequest, hogCores };
    }
    case 'memory-leak': {
      view.checkKeys([...common, 'service', 'bytesPerSecond', 'maxBytes']);
      return {
        ...timing,
        type,
        service: readService(view, topology),
        bytesPerSecond: requiredNumber(view, 'bytesPerSecond', {
          min: 0,
          exclusiveMin: true,
          integer: true,
          hint: '(bytes retained per second)',
        }),
        maxBytes: view.number('maxBytes', {
          default: 512 * 1024 * 1024,
          min: 0,
          exclusiveMin: true,
          integer: true,
          hint: '(cap of the leak in bytes)',
        }),
      };
    }
    case 'dead': {
      view.checkKeys([...common, 'service', 'mode']);
      const mode = view.string('mode', { default: 'hang' });
      if (mode !== 'hang' && mode !== 'refuse') {
        view.fail(
          'mode',
          `${what}: mode must be "hang" (accept, never answer) or "refuse" (connection refused), got "${mode}"`
        );
      }
      return { ...timing, type, service: readService(view, topology), mode: mode as 'hang' | 'refuse' };
    }
    case 'slow': {
      view.checkKeys([...common, 'service', 'delayMs']);
      return {
        ...timing,
        type,
        service: readService(view, topology),
        delayMs: requiredNumber(view, 'delayMs', {
          min: 0,
          exclusiveMin: true,
          hint: '(milliseconds added to every response)',
        }),
      };
    }
  }
}

function requiredNumber(
  view: MapView,
  key: string,
  rule: { min?: number; exclusiveMin?: boolean; integer?: boolean; hint: string }
): number {
  view.requireKey(key, `a number ${rule.hint}`);
  return view.number(key, rule) as number;
}

function readPercentage(view: MapView): number {
  return view.number('percentage', {
    default: 100,
    min: 0,
    max: 100,
    hint: '(share of requests affected, in percent)',
  });
}

function readService(view: MapView, topology: Topology): string {
  const service = view.string('service', { required: true, hint: 'the affected service' });
  if (!topology.services.has(service)) {
    view.fail(
      'service',
      `${view.what}: unknown service "${service}" ${suggest(service, [...topology.services.keys()])}`
    );
  }
  return service;
}

/** An edge must be a call the topology makes, or a fault would silently do nothing. */
function readEdge(reader: YamlReader, view: MapView, topology: Topology): Edge {
  const node = view.requireKey('edge', 'the affected call, e.g. { client: frontend, server: shippingservice }');
  const edgeView = reader.asMap(node, `${view.what} edge`);
  edgeView.checkKeys(['client', 'server']);
  const client = edgeView.string('client', { required: true, hint: 'the calling service' });
  const server = edgeView.string('server', { required: true, hint: 'the called service' });
  const clients = [LOAD_GENERATOR_WORKLOAD, ...topology.services.keys()];
  if (!clients.includes(client)) {
    edgeView.fail('client', `${view.what}: unknown client "${client}" ${suggest(client, clients)}`);
  }
  if (!topology.services.has(server)) {
    edgeView.fail(
      'server',
      `${view.what}: unknown server "${server}" ${suggest(server, [...topology.services.keys()])}`
    );
  }
  const edges = callEdges(topology, LOAD_GENERATOR_WORKLOAD);
  if (!edges.some((e) => e.client === client && e.server === server)) {
    const servers = edges.filter((e) => e.client === client).map((e) => e.server);
    edgeView.fail(
      'server',
      `${view.what}: ${client} never calls ${server} in topology "${topology.name}", so the fault would have no effect ` +
        `(${client} calls: ${servers.length > 0 ? servers.join(', ') : 'nothing'})`
    );
  }
  return { client, server };
}

function suggest(name: string, known: string[]): string {
  const guess = closestName(name, known);
  const list = known.length > 12 ? `${known.slice(0, 12).join(', ')}, ... ${known.length - 12} more` : known.join(', ');
  return `(${guess ? `did you mean "${guess}"? ` : ''}known: ${list})`;
}
