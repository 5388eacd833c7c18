import type { DetectorState, Selection, ServiceStatus, SignalShare } from '../api/sidecarTypes';

export type Override = 'include' | 'exclude';

export interface ServiceRow {
  service: string;
  namespace: string;
  team: string;
  monitored: boolean;
  /** Which rule or override decided, as the sidecar words it. */
  reason: string;
  override: Override | null;
  /** Null when the service is not monitored (no detector runs for it). */
  state: DetectorState | null;
  detector: string | null;
  score: number | null;
  threshold: number | null;
  trust: number | null;
  anomalous: boolean | null;
  reasons: string[];
  topContributions: SignalShare[];
}

/**
 * One row per service the sidecar knows: the selection (every discovered service, monitored or
 * not) joined with the live status of the monitored ones. Sorted by namespace, then name.
 */
export function buildServiceRows(selection: Selection, services: ServiceStatus[]): ServiceRow[] {
  const status = new Map(services.map((s) => [s.service, s]));
  const include = new Set(selection.overrides?.include ?? []);
  const exclude = new Set(selection.overrides?.exclude ?? []);
  const rows = new Map<string, ServiceRow>();

  const row = (name: string, namespace: string | undefined, monitored: boolean, reason: string): ServiceRow => {
    const s = status.get(name);
    return {
      service: name,
      namespace: namespace ?? s?.namespace ?? '',
      team: s?.team ?? '',
      monitored,
      reason,
      override: include.has(name) ? 'include' : exclude.has(name) ? 'exclude' : null,
      state: monitored ? (s?.state ?? 'unknown') : null,
      detector: monitored ? (s?.detector ?? null) : null,
      score: monitored ? (s?.score ?? null) : null,
      threshold: monitored ? (s?.threshold ?? null) : null,
      trust: monitored ? (s?.trust ?? null) : null,
      anomalous: monitored ? (s?.anomalous ?? null) : null,
      reasons: monitored ? (s?.reasons ?? []) : [],
      topContributions: monitored ? (s?.topContributions ?? []) : [],
    };
  };

  for (const entry of selection.services ?? []) {
    rows.set(entry.service, row(entry.service, entry.namespace, entry.monitored, entry.reason ?? ''));
  }
  // A monitored service the selection does not list yet (it appeared since) is still shown.
  for (const s of services) {
    if (!rows.has(s.service)) {
      rows.set(s.service, row(s.service, s.namespace, true, ''));
    }
  }
  return [...rows.values()].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.service.localeCompare(b.service)
  );
}
