import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

import { ScenarioError } from '../src/faults/ScenarioError.js';
import { loadScenarioCheck } from '../src/scenarios/loadScenarioCheck.js';
import { summariseScenario, type RunRecord } from '../src/scenarios/summariseScenario.js';
import type { Observation, ObservedIncident, ScenarioCheck } from '../src/scenarios/types.js';

const SHIPPED = fileURLToPath(new URL('../scenarios/end-to-end/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'scenario-checks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function loadError(text: string): ScenarioError {
  const file = write('bad.yaml', text);
  try {
    loadScenarioCheck(file);
  } catch (error) {
    assert.ok(error instanceof ScenarioError, `expected a ScenarioError, got ${String(error)}`);
    assert.match(error.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    return error;
  }
  assert.fail('expected the scenario to be refused');
}

const VALID = `name: t
topology: online-boutique
warmupSeconds: 60
durationSeconds: 300
faults:
  - { id: d, type: delay, edge: { client: frontend, server: shippingservice }, startSeconds: 30, durationSeconds: 60, delayMs: 200, percentage: 100 }
expect: { incident: SEV2, rootcauseTop1: shippingservice }
`;

describe('scenario files', () => {
  test('every shipped scenario loads and names what it expects', () => {
    const files = readdirSync(SHIPPED).filter((f) => f.endsWith('.yaml'));
    assert.ok(files.length >= 10, `expected the ten scenarios of the issue, found ${files.length}`);
    for (const file of files) {
      const { check } = loadScenarioCheck(join(SHIPPED, file));
      assert.equal(`${check.name}.yaml`, file, 'the file is named after the scenario');
      assert.ok(check.description.length > 0, `${file} has a description`);
    }
  });

  test('a valid file gets its defaults', () => {
    const { check, topology } = loadScenarioCheck(write('ok.yaml', VALID));
    assert.equal(topology.name, 'online-boutique');
    assert.equal(check.load, 'steady:rps=12');
    assert.equal(check.expect.maxFalseIncidents, 0);
    assert.equal(check.faults[0]?.type, 'delay');
  });

  test('unknown keys, actions and services are refused with the line and a suggestion', () => {
    assert.match(
      loadError(VALID.replace('warmupSeconds', 'warmupSecs')).message,
      /unknown key "warmupSecs".*warmupSeconds/
    );
    assert.match(
      loadError(`${VALID}events:\n  - { atSeconds: 10, action: kill-prometeus }\n`).message,
      /unknown action "kill-prometeus".*kill-prometheus/
    );
    assert.match(
      loadError(VALID.replace('rootcauseTop1: shippingservice', 'rootcauseTop1: shipping')).message,
      /not a service of online-boutique/
    );
    assert.match(
      loadError(VALID.replace('incident: SEV2', 'incident: SEV3')).message,
      /incident must be one of none, SEV1, SEV2/
    );
    assert.match(
      loadError(VALID.replace('startSeconds: 30', 'startSeconds: 400')).message,
      /starts at 400 s, after the run ends/
    );
    assert.match(loadError(VALID.replace('server: shippingservice', 'server: shipping')).message, /shipping/);
  });
});

function check(overrides: Partial<ScenarioCheck> = {}): ScenarioCheck {
  const { check: base } = loadScenarioCheck(write('base.yaml', VALID));
  return { ...base, ...overrides };
}

function observation(t: number, fields: Partial<Observation> = {}): Observation {
  return {
    t,
    sidecarUp: true,
    serviceStates: { ok: 11 },
    prometheusUp: true,
    openIncident: null,
    rootCause: [],
    temperature: 0,
    configHash: 'h1',
    ...fields,
  };
}

function incident(id: string, openedAt: number, severity: string, rootCause: string | null = null): ObservedIncident {
  return { id, openedAt, closedAt: openedAt + 100, severity, rootCause };
}

function run(fields: Partial<RunRecord>): RunRecord {
  return { observations: [], incidents: [], unexpectedExits: [], ...fields };
}

describe('judging a run', () => {
  test('an incident during the fault with the right cause passes, with the detection delay', () => {
    const result = summariseScenario(check(), run({ incidents: [incident('inc-1', 104, 'SEV2', 'shippingservice')] }));
    assert.deepEqual(
      { passed: result.passed, incident: result.incident, after: result.detected_after_s, top: result.rootcause_top1 },
      { passed: true, incident: 'SEV2', after: 74, top: 'shippingservice' }
    );
  });

  test('incidents before the fault or after the recovery grace are false; the highest real severity counts', () => {
    const result = summariseScenario(
      check(),
      run({
        incidents: [
          incident('early', -20, 'SEV2'),
          incident('real', 50, 'SEV2', 'frontend'),
          incident('escalated', 80, 'SEV1'),
          incident('late', 90 + 121, 'SEV2'),
        ],
      })
    );
    assert.equal(result.incident, 'SEV1');
    assert.equal(result.false_incidents, 2);
    assert.equal(result.passed, false);
    assert.equal(result.failures.length, 3, result.failures.join('\n'));
    assert.match(result.failures.join('\n'), /expected incident SEV2.*got SEV1/);
    assert.match(result.failures.join('\n'), /root cause shippingservice ranked first, got frontend/);
    assert.match(
      result.failures.join('\n'),
      /2 incident\(s\) outside the fault windows \(early at -20 s, late at 211 s\)/
    );
  });

  test('a missed fault fails; the ranking seen while open stands in for a missing record', () => {
    assert.match(
      summariseScenario(check(), run({})).failures[0] ?? '',
      /expected incident SEV2 during the faults, got none/
    );
    const result = summariseScenario(
      check(),
      run({
        incidents: [incident('inc-1', 60, 'SEV2')],
        observations: [
          observation(70, {
            openIncident: { id: 'inc-1', severity: 'SEV2' },
            rootCause: ['shippingservice', 'frontend'],
          }),
        ],
      })
    );
    assert.equal(result.rootcause_top1, 'shippingservice');
    assert.equal(result.passed, true);
  });

  test('stale while Prometheus is down and recovery afterwards are both required', () => {
    const outage = check({
      faults: [],
      expect: { incident: 'none', maxFalseIncidents: 0, staleThenRecovered: true },
      events: [
        { atSeconds: 30, action: 'kill-prometheus' },
        { atSeconds: 90, action: 'start-prometheus' },
      ],
    });
    const stale = observation(60, { prometheusUp: false, serviceStates: { stale: 11 } });
    const recovered = observation(120, { prometheusUp: true, serviceStates: { ok: 11 } });
    assert.equal(summariseScenario(outage, run({ observations: [observation(10), stale, recovered] })).passed, true);
    const neverStale = summariseScenario(outage, run({ observations: [observation(10), observation(60), recovered] }));
    assert.match(neverStale.failures[0] ?? '', /stale seen false/);
    const stuck = summariseScenario(
      outage,
      run({ observations: [stale, observation(120, { prometheusUp: true, serviceStates: { stale: 11 } })] })
    );
    assert.match(stuck.failures[0] ?? '', /recovered false/);
  });

  test('the open incident must carry over a SIGKILL without a duplicate', () => {
    const restart = check({
      expect: { incident: 'SEV2', maxFalseIncidents: 0, incidentSurvivesRestart: true },
      events: [
        { atSeconds: 100, action: 'kill-sidecar' },
        { atSeconds: 115, action: 'start-sidecar' },
      ],
    });
    const open = (id: string) => ({ openIncident: { id, severity: 'SEV2' } });
    const observations = [
      observation(95, open('inc-1')),
      observation(105, { sidecarUp: false }),
      observation(120, open('inc-1')),
    ];
    assert.equal(
      summariseScenario(restart, run({ observations, incidents: [incident('inc-1', 60, 'SEV2')] })).passed,
      true
    );
    const duplicated = summariseScenario(
      restart,
      run({
        observations: [observations[0] as Observation, observation(120, open('inc-2'))],
        incidents: [incident('inc-1', 60, 'SEV2'), incident('inc-2', 118, 'SEV2')],
      })
    );
    assert.equal(duplicated.passed, false);
    assert.deepEqual(duplicated.details, {
      incident_before_kill: 'inc-1',
      incident_after_restart: 'inc-2',
      duplicate_incidents: 1,
    });
  });

  test('a config hash that changes after an invalid write fails configKept; unexpected exits always fail', () => {
    const reload = check({
      faults: [],
      expect: { incident: 'none', maxFalseIncidents: 0, configKept: true },
      events: [{ atSeconds: 20, action: 'write-invalid-config' }],
    });
    assert.equal(summariseScenario(reload, run({ observations: [observation(10), observation(30)] })).passed, true);
    assert.equal(
      summariseScenario(reload, run({ observations: [observation(10), observation(30, { configHash: 'h2' })] })).passed,
      false
    );
    const crashed = summariseScenario(
      reload,
      run({ observations: [observation(10), observation(30)], unexpectedExits: ['pid 1 ended with SIGSEGV'] })
    );
    assert.match(crashed.failures.join('\n'), /exited without being asked to: pid 1 ended with SIGSEGV/);
  });
});
