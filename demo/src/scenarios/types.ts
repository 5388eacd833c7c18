import type { FaultSpec } from '../faults/types.js';

/**
 * End-to-end scenarios: the demo mesh under load, a real Prometheus and the real sidecar process,
 * with faults and operational events on a timeline, judged on what the sidecar reported.
 * Times are seconds relative to t0, the end of the warm-up (normal traffic the detectors learn
 * from before anything happens).
 */

/** Operational events a scenario can trigger besides mesh faults. */
export type ScenarioAction =
  /** SIGKILL the Prometheus process (a crash); its data directory is kept. */
  | 'kill-prometheus'
  /** Start Prometheus again on the same port and data. */
  | 'start-prometheus'
  /** SIGKILL the sidecar process (no graceful shutdown, nothing flushed). */
  | 'kill-sidecar'
  /** Start the sidecar again with the same config and state directory. */
  | 'start-sidecar'
  /** Overwrite the sidecar's config file with an invalid one (its hot reload must refuse it). */
  | 'write-invalid-config';

export const SCENARIO_ACTIONS: readonly ScenarioAction[] = [
  'kill-prometheus',
  'start-prometheus',
  'kill-sidecar',
  'start-sidecar',
  'write-invalid-config',
];

export interface ScenarioEvent {
  readonly atSeconds: number;
  readonly action: ScenarioAction;
}

export type ExpectedIncident = 'none' | 'SEV1' | 'SEV2';

/** What must hold for the scenario to pass; every field that is set is checked. */
export interface ScenarioExpectation {
  /** Highest severity among incidents opened during the faults ('none': no incident at all). */
  readonly incident: ExpectedIncident;
  /** The top-ranked root cause of the first incident during the faults. */
  readonly rootcauseTop1?: string;
  /** Incidents opened outside the fault windows that are tolerated. Default 0. */
  readonly maxFalseIncidents: number;
  /** Seconds from the first fault's start to the incident opening. */
  readonly maxDetectionSeconds?: number;
  /** Detectors reported stale while Prometheus was down, and ok again after it came back. */
  readonly staleThenRecovered?: boolean;
  /** An incident open before a sidecar SIGKILL is still open, with the same id, after restart. */
  readonly incidentSurvivesRestart?: boolean;
  /** After an invalid config was written, the running config stayed in force. */
  readonly configKept?: boolean;
}

export interface ScenarioCheck {
  readonly name: string;
  readonly description: string;
  /** A shipped topology name (demo/topologies) or a path. */
  readonly topology: string;
  /** A load profile: shipped name, YAML file or a compact string such as steady:rps=12. */
  readonly load: string;
  readonly seed: number;
  /** Normal traffic before t0, in seconds. */
  readonly warmupSeconds: number;
  /** Length of the run after t0, in seconds. */
  readonly durationSeconds: number;
  /** Seconds after the last fault ends during which an incident still belongs to it. */
  readonly recoveryGraceSeconds: number;
  /** Mesh faults; `startSeconds` counts from t0. */
  readonly faults: readonly FaultSpec[];
  readonly events: readonly ScenarioEvent[];
  readonly expect: ScenarioExpectation;
  /** The file it was read from. */
  readonly file: string;
}

/** One poll of the sidecar while the scenario runs. */
export interface Observation {
  /** Seconds since t0 (negative during warm-up). */
  readonly t: number;
  /** False when the sidecar did not answer (killed, restarting). */
  readonly sidecarUp: boolean;
  /** Detector states of the services: state → count. */
  readonly serviceStates: Readonly<Record<string, number>>;
  /** Whether the sidecar said Prometheus answered its last cycle. */
  readonly prometheusUp: boolean | null;
  readonly openIncident: { readonly id: string; readonly severity: string } | null;
  /** Ranked services of the open incident, most probable first. */
  readonly rootCause: readonly string[];
  readonly temperature: number | null;
  /** sha256 of the config in force. */
  readonly configHash: string | null;
}

/** An incident as the sidecar listed it at the end of the run. */
export interface ObservedIncident {
  readonly id: string;
  /** Seconds since t0. */
  readonly openedAt: number;
  readonly closedAt: number | null;
  readonly severity: string;
  readonly rootCause: string | null;
}

/** The scenario's one-line JSON result. */
export interface ScenarioResult {
  readonly scenario: string;
  readonly passed: boolean;
  /** Highest severity of the incidents during the faults, or 'none'. */
  readonly incident: ExpectedIncident;
  readonly detected_after_s: number | null;
  readonly rootcause_top1: string | null;
  readonly false_incidents: number;
  readonly incidents: number;
  /** Checks that failed, in words; empty when passed. */
  readonly failures: readonly string[];
  /** Scenario-specific observations (stale seen, config kept, ...). */
  readonly details: Readonly<Record<string, unknown>>;
}
