import type { DetectorState, EdgeStatus, IncidentSummary, ServiceStatus } from '../api/sidecarTypes';

export interface NotReadyDetector {
  kind: 'service' | 'edge';
  name: string;
  state: DetectorState;
  reasons: string[];
}

export interface OverviewSummary {
  /** SEV1 before SEV2, newest first within a severity. */
  openIncidents: IncidentSummary[];
  /** Services with a score, anomalous ones first, then by score. */
  anomalousServices: ServiceStatus[];
  anomalousEdges: EdgeStatus[];
  /** Detectors that give no verdict: stale first (they stopped), then unknown, then warming up. */
  notReady: NotReadyDetector[];
  stateCounts: Record<DetectorState, number>;
}

export interface OverviewInput {
  incidents: IncidentSummary[];
  services: ServiceStatus[];
  edges: EdgeStatus[];
}

const NOT_READY_ORDER: Partial<Record<DetectorState, number>> = { stale: 0, unknown: 1, warmup: 2 };

/**
 * What the Overview page shows, from the sidecar's live lists. A service without a score (any
 * state but ok or scoring fallback) is never listed as healthy or anomalous: it goes to the
 * not-ready list with the sidecar's reasons.
 */
export function summarizeOverview(input: OverviewInput, limit = 5): OverviewSummary {
  const openIncidents = input.incidents
    .filter((incident) => incident.state === 'open')
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.openedAt - a.openedAt);

  const anomalousServices = rankByScore(input.services).slice(0, limit);
  const anomalousEdges = rankByScore(input.edges).slice(0, limit);

  const notReady: NotReadyDetector[] = [
    ...input.services.map((s) => ({
      kind: 'service' as const,
      name: s.service,
      state: s.state,
      reasons: s.reasons ?? [],
    })),
    ...input.edges.map((e) => ({
      kind: 'edge' as const,
      name: `${e.client} → ${e.server}`,
      state: e.state,
      reasons: [],
    })),
  ]
    .filter((detector) => NOT_READY_ORDER[detector.state] !== undefined)
    .sort(
      (a, b) =>
        NOT_READY_ORDER[a.state]! - NOT_READY_ORDER[b.state]! ||
        a.kind.localeCompare(b.kind) ||
        a.name.localeCompare(b.name)
    );

  const stateCounts: Record<DetectorState, number> = { ok: 0, warmup: 0, stale: 0, unknown: 0, fallback: 0 };
  for (const service of input.services) {
    stateCounts[service.state] = (stateCounts[service.state] ?? 0) + 1;
  }
  return { openIncidents, anomalousServices, anomalousEdges, notReady, stateCounts };
}

function severityRank(severity: string): number {
  return severity === 'SEV1' ? 0 : 1;
}

function rankByScore<T extends { score?: number | null; anomalous?: boolean | null }>(items: T[]): T[] {
  return items
    .filter((item) => typeof item.score === 'number' && Number.isFinite(item.score))
    .sort((a, b) => Number(b.anomalous === true) - Number(a.anomalous === true) || b.score! - a.score!);
}
