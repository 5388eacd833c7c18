import type { IncidentSummary } from '../api/sidecarTypes';

/** Open incidents first (SEV1 before SEV2), then closed ones, newest first within each group. */
export function orderIncidents(incidents: IncidentSummary[]): IncidentSummary[] {
  const rank = (incident: IncidentSummary) => (incident.state === 'open' ? (incident.severity === 'SEV1' ? 0 : 1) : 2);
  return [...incidents].sort((a, b) => rank(a) - rank(b) || b.openedAt - a.openedAt);
}
