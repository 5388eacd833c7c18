import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { readFault } from '../faults/readFault.js';
import { ScenarioError } from '../faults/ScenarioError.js';
import type { FaultSpec } from '../faults/types.js';
import { closestName } from '../topology/closestName.js';
import { loadTopology } from '../topology/loadTopology.js';
import type { Topology } from '../topology/types.js';
import { YamlReader } from '../topology/YamlReader.js';
import {
  SCENARIO_ACTIONS,
  type ExpectedIncident,
  type ScenarioAction,
  type ScenarioCheck,
  type ScenarioEvent,
  type ScenarioExpectation,
} from './types.js';

const SHIPPED_TOPOLOGIES = fileURLToPath(new URL('../../topologies/', import.meta.url));
const INCIDENTS: readonly ExpectedIncident[] = ['none', 'SEV1', 'SEV2'];

/** A shipped topology name (`online-boutique`) or a path to a topology YAML. */
export function resolveTopologyPath(nameOrPath: string): string {
  const shipped = `${SHIPPED_TOPOLOGIES}${nameOrPath}.yaml`;
  return /^[a-z0-9-]+$/.test(nameOrPath) && existsSync(shipped) ? shipped : nameOrPath;
}

function readTopology(name: string, fail: (problem: string) => never): Topology {
  try {
    return loadTopology(resolveTopologyPath(name));
  } catch (error) {
    return fail(`topology "${name}" cannot be loaded: ${(error as Error).message}`);
  }
}

/**
 * Reads an end-to-end scenario file: timeline, faults (the mesh's fault format, with
 * `startSeconds` counted from t0), operational events and expectations. Errors name the file,
 * line and column. Returns the scenario with its topology, which the faults were checked against.
 */
export function loadScenarioCheck(path: string): { check: ScenarioCheck; topology: Topology } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ScenarioError(path, 0, 0, `cannot read scenario: ${reason}`);
  }
  const reader = YamlReader.parse(
    text,
    path,
    (file, line, column, problem) => new ScenarioError(file, line, column, problem)
  );
  const top = reader.rootMap('scenario', 'name, timeline, faults, events and expect');
  top.checkKeys([
    'name',
    'description',
    'topology',
    'load',
    'seed',
    'warmupSeconds',
    'durationSeconds',
    'recoveryGraceSeconds',
    'faults',
    'events',
    'expect',
  ]);
  const name = top.string('name', {
    required: true,
    hint: 'the scenario name, e.g. delay-one-edge',
    pattern: /^[a-z0-9][a-z0-9-]{0,63}$/,
    patternHint: 'lower-case letters, digits and "-"',
  });
  const topologyName = top.string('topology', { default: 'online-boutique' });
  const topology = readTopology(topologyName, (problem) => top.fail('topology', problem));
  const durationSeconds = top.number('durationSeconds', { default: 300, integer: true, min: 30, max: 7200 });
  const faults: FaultSpec[] = (top.seq('faults', 'faults') ?? []).map((node, i) =>
    readFault(reader, node, `fault ${i + 1}`, topology)
  );
  faults.forEach((fault, i) => {
    if (fault.startSeconds >= durationSeconds) {
      reader.fail(
        top.get('faults'),
        `fault ${i + 1} ("${fault.id}") starts at ${fault.startSeconds} s, after the run ends (durationSeconds ${durationSeconds})`
      );
    }
  });
  const events: ScenarioEvent[] = (top.seq('events', 'events') ?? []).map((node, i) => {
    const view = reader.asMap(node, `event ${i + 1}`);
    view.checkKeys(['atSeconds', 'action']);
    const atSeconds = view.number('atSeconds', { min: 0, max: durationSeconds });
    if (atSeconds === undefined) {
      return view.fail('atSeconds', `event ${i + 1}: atSeconds is required (seconds after t0)`);
    }
    const action = view.string('action', { required: true, hint: SCENARIO_ACTIONS.join(', ') });
    if (!(SCENARIO_ACTIONS as readonly string[]).includes(action)) {
      const guess = closestName(action, SCENARIO_ACTIONS);
      view.fail(
        'action',
        `event ${i + 1}: unknown action "${action}" (${guess ? `did you mean "${guess}"?` : `one of ${SCENARIO_ACTIONS.join(', ')}`})`
      );
    }
    return { atSeconds, action: action as ScenarioAction };
  });
  const expectView = reader.asMap(top.requireKey('expect', 'what must hold, e.g. {incident: SEV2}'), 'expect');
  expectView.checkKeys([
    'incident',
    'rootcauseTop1',
    'maxFalseIncidents',
    'maxDetectionSeconds',
    'staleThenRecovered',
    'incidentSurvivesRestart',
    'configKept',
  ]);
  const incident = expectView.string('incident', { required: true, hint: INCIDENTS.join(', ') });
  if (!(INCIDENTS as readonly string[]).includes(incident)) {
    expectView.fail('incident', `expect: incident must be one of ${INCIDENTS.join(', ')}, got "${incident}"`);
  }
  const rootcauseTop1 = expectView.string('rootcauseTop1');
  if (rootcauseTop1 !== undefined && !topology.services.has(rootcauseTop1)) {
    expectView.fail('rootcauseTop1', `expect: rootcauseTop1 "${rootcauseTop1}" is not a service of ${topology.name}`);
  }
  const maxDetectionSeconds = expectView.number('maxDetectionSeconds', { min: 1 });
  const optionalFlag = (key: string): boolean | undefined =>
    expectView.has(key) ? expectView.boolean(key, false) : undefined;
  const flags = {
    staleThenRecovered: optionalFlag('staleThenRecovered'),
    incidentSurvivesRestart: optionalFlag('incidentSurvivesRestart'),
    configKept: optionalFlag('configKept'),
  };
  const expect: ScenarioExpectation = {
    incident: incident as ExpectedIncident,
    maxFalseIncidents: expectView.number('maxFalseIncidents', { default: 0, integer: true, min: 0 }),
    ...(rootcauseTop1 !== undefined ? { rootcauseTop1 } : {}),
    ...(maxDetectionSeconds !== undefined ? { maxDetectionSeconds } : {}),
    ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
  };
  const check: ScenarioCheck = {
    name,
    description: top.string('description', { default: '' }),
    topology: topologyName,
    load: top.string('load', { default: 'steady:rps=12' }),
    seed: top.number('seed', { default: 1, integer: true, min: 0 }),
    warmupSeconds: top.number('warmupSeconds', { default: 180, integer: true, min: 0, max: 7200 }),
    durationSeconds,
    recoveryGraceSeconds: top.number('recoveryGraceSeconds', { default: 120, integer: true, min: 0, max: 3600 }),
    faults,
    events: [...events].sort((a, b) => a.atSeconds - b.atSeconds),
    expect,
    file: path,
  };
  return { check, topology };
}
