import type { FeedbackInput, FeedbackKind, IncidentSummary } from '../api/sidecarTypes';
import { entityScope } from './incidentTimelineFrames';

/**
 * The feedback items one click on "Expected" or "False positive" sends: one per affected entity
 * (the sidecar keeps feedback per service or edge, so that each one's window is excluded from its
 * own baseline), covering the incident from its opening to its close (or now, while open).
 */
export function feedbackForIncident(
  incident: Pick<IncidentSummary, 'id' | 'openedAt' | 'closedAt' | 'affectedEntities'>,
  kind: FeedbackKind,
  nowSeconds: number,
  extra: { note?: string; author?: string } = {}
): FeedbackInput[] {
  const from = incident.openedAt;
  const end = incident.closedAt ?? nowSeconds;
  // The API needs `to` after `from`; an incident judged in its first second still covers one.
  const to = end > from ? end : from + 1;
  const note = extra.note?.trim();
  const author = extra.author?.trim();
  return incident.affectedEntities.map((entity) => ({
    kind,
    scope: entityScope(entity),
    entity,
    from,
    to,
    incidentId: incident.id,
    ...(note ? { note } : {}),
    ...(author ? { author } : {}),
  }));
}
