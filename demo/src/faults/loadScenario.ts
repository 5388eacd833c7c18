import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Topology } from '../topology/types.js';
import { YamlReader } from '../topology/YamlReader.js';
import { readFault } from './readFault.js';
import { ScenarioError } from './ScenarioError.js';
import type { FaultSpec, Scenario } from './types.js';

/**
 * Scenario files: a timed list of faults for one topology.
 *
 * ```yaml
 * name: shipping-delay            # optional
 * description: ...                # optional
 * topology: online-boutique       # optional; when given, must be the mesh's topology name
 * faults:
 *   - id: delay-shipping
 *     type: delay
 *     edge: { client: frontend, server: shippingservice }
 *     startSeconds: 60
 *     durationSeconds: 120
 *     delayMs: 200
 *     percentage: 100
 * ```
 * See readFault for every type's parameters. Errors are ScenarioErrors with file:line:column.
 */
export function loadScenario(path: string, topology: Topology, displayName: string = path): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ScenarioError(displayName, 0, 0, `cannot read scenario: ${reason} (check the --scenario path)`);
  }
  return parseScenario(text, topology, displayName);
}

export function parseScenario(text: string, topology: Topology, displayName = '<scenario>'): Scenario {
  const reader = YamlReader.parse(
    text,
    displayName,
    (file, line, column, problem) => new ScenarioError(file, line, column, problem)
  );
  const top = reader.rootMap('scenario file', 'a "faults" list');
  top.checkKeys(['name', 'description', 'topology', 'faults']);
  const name = top.string('name');
  const description = top.string('description');
  const forTopology = top.string('topology');
  if (forTopology !== undefined && forTopology !== topology.name) {
    top.fail(
      'topology',
      `scenario is written for topology "${forTopology}" but the mesh runs "${topology.name}"; pass the matching --topology`
    );
  }
  const items = reader.asSeq(
    top.requireKey('faults', 'a list of faults, each with id, type, timing and target'),
    'faults'
  );
  const faults = readFaultList(reader, items, topology);
  return { ...(name !== undefined ? { name } : {}), ...(description !== undefined ? { description } : {}), faults };
}

/**
 * Faults posted to the control API: one fault object, a list of them, or `{ "faults": [...] }`.
 * JSON is YAML, so the same reader gives the same messages, located in the request body.
 */
export function parseFaultRequest(body: string, topology: Topology, displayName = 'request body'): FaultSpec[] {
  const reader = YamlReader.parse(
    body,
    displayName,
    (file, line, column, problem) => new ScenarioError(file, line, column, problem)
  );
  const root = reader.root;
  if (root === null || (isScalar(root) && root.value === null)) {
    throw new ScenarioError(
      displayName,
      1,
      1,
      'empty body: send a fault as JSON, e.g. {"id":"d1","type":"slow","service":"cartservice","delayMs":100}'
    );
  }
  if (isSeq(root)) {
    return readFaultList(reader, reader.asSeq(root, displayName), topology);
  }
  if (isMap(root) && root.has('faults') && !root.has('id')) {
    const top = reader.asMap(root, displayName);
    top.checkKeys(['faults']);
    return readFaultList(reader, reader.asSeq(top.requireKey('faults', 'a list of faults'), 'faults'), topology);
  }
  return [readFault(reader, root, displayName, topology)];
}

function readFaultList(reader: YamlReader, items: Node[], topology: Topology): FaultSpec[] {
  const faults: FaultSpec[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const fault = readFault(reader, item, `fault ${i + 1}`, topology);
    const earlier = seen.get(fault.id);
    if (earlier !== undefined) {
      reader.fail(
        item,
        `fault id "${fault.id}" is used twice (faults ${earlier + 1} and ${i + 1}); ids must be unique`
      );
    }
    seen.set(fault.id, i);
    faults.push(fault);
  });
  return faults;
}
