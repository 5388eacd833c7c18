import type { EvaluationNote } from '../../storage/EvaluationNotes.js';
import type { IncidentHistoryRecord } from '../../storage/IncidentHistory.js';
import { dataFrame, ms, type DataFrame } from './dataFrame.js';

function topRootCause(r: IncidentHistoryRecord): string {
  return r.rootCause?.candidates.find((c) => c.score > 0)?.service ?? '';
}

/** The `incidents` table of docs/frames.md (incidents, list). */
export function buildIncidentListFrame(records: readonly IncidentHistoryRecord[]): DataFrame {
  return dataFrame('incidents', [
    { name: 'id', type: 'string', values: records.map((r) => r.id) },
    { name: 'opened', type: 'time', values: records.map((r) => ms(r.openedAt)) },
    { name: 'closed', type: 'time', values: records.map((r) => ms(r.closedAt)) },
    { name: 'state', type: 'string', values: records.map((r) => r.state) },
    { name: 'severity', type: 'string', values: records.map((r) => r.severity) },
    { name: 'opened_severity', type: 'string', values: records.map((r) => r.openedSeverity) },
    { name: 'peak_temperature', type: 'number', values: records.map((r) => r.peakTemperature) },
    { name: 'affected', type: 'string', values: records.map((r) => r.affectedEntities.join(', ')) },
    { name: 'root_cause', type: 'string', values: records.map(topRootCause) },
    { name: 'rule', type: 'string', values: records.map((r) => r.rule) },
    { name: 'summary', type: 'string', values: records.map((r) => r.summary) },
  ]);
}

/** The `tolerated` table of docs/frames.md (incidents, tolerated). */
export function buildToleratedFrame(notes: readonly EvaluationNote[]): DataFrame {
  const tolerated = notes.filter((n) => n.kind === 'tolerated');
  return dataFrame('tolerated', [
    { name: 'time', type: 'time', values: tolerated.map((n) => ms(n.at)) },
    { name: 'entity', type: 'string', values: tolerated.map((n) => n.entity ?? '') },
    { name: 'scope', type: 'string', values: tolerated.map((n) => n.scope ?? '') },
    { name: 'peak', type: 'number', values: tolerated.map((n) => n.peak) },
    { name: 'threshold', type: 'number', values: tolerated.map((n) => n.threshold) },
    { name: 'temperature', type: 'number', values: tolerated.map((n) => n.temperature) },
    { name: 'reason', type: 'string', values: tolerated.map((n) => n.summary) },
  ]);
}

/** A frame of evaluation notes of every kind (the evaluations route with format=frames). */
export function buildEvaluationFrame(notes: readonly EvaluationNote[]): DataFrame {
  return dataFrame('evaluations', [
    { name: 'time', type: 'time', values: notes.map((n) => ms(n.at)) },
    { name: 'kind', type: 'string', values: notes.map((n) => n.kind) },
    { name: 'incident_id', type: 'string', values: notes.map((n) => n.incidentId ?? '') },
    { name: 'entity', type: 'string', values: notes.map((n) => n.entity ?? '') },
    { name: 'scope', type: 'string', values: notes.map((n) => n.scope ?? '') },
    { name: 'peak', type: 'number', values: notes.map((n) => n.peak) },
    { name: 'threshold', type: 'number', values: notes.map((n) => n.threshold) },
    { name: 'temperature', type: 'number', values: notes.map((n) => n.temperature) },
    { name: 'summary', type: 'string', values: notes.map((n) => n.summary) },
  ]);
}
