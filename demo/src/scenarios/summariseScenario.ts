import type { ExpectedIncident, Observation, ObservedIncident, ScenarioCheck, ScenarioResult } from './types.js';

export interface RunRecord {
  readonly observations: readonly Observation[];
  /** Every incident the sidecar listed at the end of the run. */
  readonly incidents: readonly ObservedIncident[];
  /** Sidecar exits that the scenario did not cause, with their exit code or signal. */
  readonly unexpectedExits: readonly string[];
}

const SEVERITY_ORDER: Readonly<Record<string, number>> = { SEV2: 1, SEV1: 2 };

function faultSpan(check: ScenarioCheck): { start: number; end: number } | null {
  if (check.faults.length === 0) {
    return null;
  }
  const start = Math.min(...check.faults.map((f) => f.startSeconds));
  const end = Math.max(...check.faults.map((f) => f.startSeconds + (f.durationSeconds ?? check.durationSeconds)));
  return { start, end };
}

function eventTime(check: ScenarioCheck, action: string): number | null {
  return check.events.find((e) => e.action === action)?.atSeconds ?? null;
}

/**
 * Judges a finished run: which incidents belong to the faults (opened between the first fault's
 * start and the last fault's end plus the recovery grace), which are false, how fast the first
 * was detected, what it was blamed on, and every expectation of the scenario. Pure, so the
 * verdict logic is tested without running a mesh.
 */
export function summariseScenario(check: ScenarioCheck, run: RunRecord): ScenarioResult {
  const span = faultSpan(check);
  const during = (incident: ObservedIncident): boolean =>
    span !== null && incident.openedAt >= span.start && incident.openedAt <= span.end + check.recoveryGraceSeconds;
  const real = [...run.incidents].filter(during).sort((a, b) => a.openedAt - b.openedAt);
  const falseIncidents = run.incidents.filter((i) => !during(i));
  let incident: ExpectedIncident = 'none';
  for (const i of real) {
    if ((SEVERITY_ORDER[i.severity] ?? 0) > (SEVERITY_ORDER[incident] ?? 0)) {
      incident = i.severity as ExpectedIncident;
    }
  }
  const first = real[0];
  const detectedAfter = first !== undefined && span !== null ? Math.round(first.openedAt - span.start) : null;
  let rootcauseTop1 = first?.rootCause ?? null;
  if (first !== undefined && rootcauseTop1 === null) {
    const ranked = run.observations.filter((o) => o.openIncident?.id === first.id && o.rootCause.length > 0);
    rootcauseTop1 = ranked.at(-1)?.rootCause[0] ?? null;
  }

  const failures: string[] = [];
  const details: Record<string, unknown> = {};
  const { expect } = check;
  if (incident !== expect.incident) {
    failures.push(`expected incident ${expect.incident} during the faults, got ${incident}`);
  }
  if (expect.rootcauseTop1 !== undefined && rootcauseTop1 !== expect.rootcauseTop1) {
    failures.push(`expected root cause ${expect.rootcauseTop1} ranked first, got ${rootcauseTop1 ?? 'no ranking'}`);
  }
  if (falseIncidents.length > expect.maxFalseIncidents) {
    const list = falseIncidents.map((i) => `${i.id} at ${Math.round(i.openedAt)} s`).join(', ');
    failures.push(
      `${falseIncidents.length} incident(s) outside the fault windows (${list}); at most ${expect.maxFalseIncidents} allowed`
    );
  }
  if (
    expect.maxDetectionSeconds !== undefined &&
    detectedAfter !== null &&
    detectedAfter > expect.maxDetectionSeconds
  ) {
    failures.push(`detected after ${detectedAfter} s, later than ${expect.maxDetectionSeconds} s`);
  }
  if (run.unexpectedExits.length > 0) {
    failures.push(`the sidecar exited without being asked to: ${run.unexpectedExits.join('; ')}`);
  }

  if (expect.staleThenRecovered !== undefined) {
    const down = eventTime(check, 'kill-prometheus');
    const up = eventTime(check, 'start-prometheus');
    const answered = run.observations.filter((o) => o.sidecarUp);
    const staleSeen = answered.some(
      (o) =>
        down !== null &&
        o.t > down &&
        (up === null || o.t < up) &&
        (o.serviceStates.stale ?? 0) > 0 &&
        o.prometheusUp === false
    );
    const recovered =
      up !== null &&
      answered.some(
        (o) =>
          o.t > up && o.prometheusUp === true && (o.serviceStates.stale ?? 0) === 0 && (o.serviceStates.ok ?? 0) > 0
      );
    const servedThroughout = down === null || answered.some((o) => o.t > down && (up === null || o.t < up));
    Object.assign(details, { stale_seen: staleSeen, recovered, served_during_outage: servedThroughout });
    if (expect.staleThenRecovered && !(staleSeen && recovered && servedThroughout)) {
      failures.push(
        `expected detectors stale while Prometheus was down and ok after it returned: stale seen ${staleSeen}, recovered ${recovered}, API answered during the outage ${servedThroughout}`
      );
    }
  }

  if (expect.incidentSurvivesRestart !== undefined) {
    const killedAt = eventTime(check, 'kill-sidecar');
    const startedAt = eventTime(check, 'start-sidecar');
    const before = run.observations.filter((o) => o.sidecarUp && killedAt !== null && o.t < killedAt).at(-1);
    const after = run.observations.find((o) => o.sidecarUp && startedAt !== null && o.t > startedAt);
    const idBefore = before?.openIncident?.id ?? null;
    const idAfter = after?.openIncident?.id ?? null;
    const duplicates =
      idBefore === null ? 0 : real.filter((i) => i.id !== idBefore && i.openedAt >= (killedAt ?? 0)).length;
    Object.assign(details, {
      incident_before_kill: idBefore,
      incident_after_restart: idAfter,
      duplicate_incidents: duplicates,
    });
    if (expect.incidentSurvivesRestart && (idBefore === null || idBefore !== idAfter || duplicates > 0)) {
      failures.push(
        `expected the incident open before the SIGKILL to continue after the restart: before ${idBefore ?? 'none open'}, after ${idAfter ?? 'none open'}, ${duplicates} new incident(s) opened since`
      );
    }
  }

  if (expect.configKept !== undefined) {
    const writtenAt = eventTime(check, 'write-invalid-config');
    const before = run.observations.filter((o) => o.sidecarUp && writtenAt !== null && o.t < writtenAt).at(-1);
    const afterAll = run.observations.filter((o) => o.sidecarUp && writtenAt !== null && o.t > writtenAt);
    const kept =
      before?.configHash != null && afterAll.length > 0 && afterAll.every((o) => o.configHash === before.configHash);
    Object.assign(details, { config_kept: kept, polls_after_invalid_config: afterAll.length });
    if (expect.configKept && !kept) {
      failures.push('expected the running config to stay in force after an invalid config was written');
    }
  }

  return {
    scenario: check.name,
    passed: failures.length === 0,
    incident,
    detected_after_s: detectedAfter,
    rootcause_top1: rootcauseTop1,
    false_incidents: falseIncidents.length,
    incidents: run.incidents.length,
    failures,
    details,
  };
}
