import { join } from 'node:path';

import type { IncidentEvaluation, IncidentRecord, Severity } from '../incidents/types.js';
import type { RootCauseRanking } from '../rootcause/types.js';
import { atomicWriteFile } from './atomicWriteFile.js';
import { readJsonFile } from './readJsonFile.js';

export const INCIDENTS_FILE = 'incidents.json';

export interface IncidentTimelineEntry {
  readonly at: number;
  readonly temperature: number;
  readonly severity: Severity | null;
  readonly rule: string;
  /** Non-zero accumulators at this evaluation. */
  readonly accumulators: Readonly<Record<string, number>>;
}

/** A ranking kept as the incident's evidence. */
export interface StoredRanking extends RootCauseRanking {
  readonly incidentId: string;
  /** Unix seconds of the cycle that computed it. */
  readonly computedAt: number;
  /** True once the analysed window stopped growing; later cycles keep this ranking. */
  readonly final: boolean;
}

export interface IncidentHistoryRecord {
  readonly id: string;
  state: 'open' | 'closed';
  readonly openedAt: number;
  closedAt: number | null;
  openedSeverity: Severity;
  severity: Severity;
  escalatedAt: number | null;
  peakTemperature: number;
  peakAt: number;
  affectedEntities: string[];
  /** The rules that fired for it, with their numbers: opened, escalated, closed. */
  rule: string;
  /** The latest summary sentence of the engine about it. */
  summary: string;
  /** The evaluation that opened it, trimmed to the entities that mattered; null when restored. */
  explanation: Record<string, unknown> | null;
  timeline: IncidentTimelineEntry[];
  /** Timeline entries dropped to stay within the bound (the oldest after the first). */
  timelineDropped: number;
  rootCause: StoredRanking | null;
  /** Set when the incident was continued after a restart from exported series or the local snapshot. */
  restoredFrom?: 'prometheus' | 'local';
  /** Entities taken out of the affected set because an operator marked them false positives. */
  falsePositives?: FalsePositiveEntry[];
}

export interface FalsePositiveEntry {
  readonly entity: string;
  readonly feedbackId: string;
  /** Unix seconds of the evaluation it took effect in. */
  readonly at: number;
  readonly accumulator: number;
}

export interface IncidentHistoryOptions {
  readonly stateDir: string;
  readonly maxIncidents: number;
  /** Timeline entries kept per incident. */
  readonly maxTimeline?: number;
  /** Entities kept in a stored explanation. */
  readonly maxExplainedEntities?: number;
}

const DEFAULT_MAX_TIMELINE = 720;
const DEFAULT_MAX_EXPLAINED = 200;

function isRecord(value: unknown): value is IncidentHistoryRecord {
  const r = value as Partial<IncidentHistoryRecord> | null;
  return (
    r !== null &&
    typeof r === 'object' &&
    typeof r.id === 'string' &&
    (r.state === 'open' || r.state === 'closed') &&
    typeof r.openedAt === 'number' &&
    Array.isArray(r.timeline)
  );
}

/**
 * Incidents with their explanation, timeline of temperature and accumulators, and root-cause
 * ranking, kept durably in the state directory (the file is replaced atomically). Bounded: the
 * oldest closed incidents are dropped beyond `maxIncidents`, and each timeline keeps its first
 * entry and the newest ones.
 */
export class IncidentHistory {
  readonly file: string;
  readonly #maxIncidents: number;
  readonly #maxTimeline: number;
  readonly #maxExplained: number;
  #records: IncidentHistoryRecord[] = [];
  #dirty = false;

  constructor(options: IncidentHistoryOptions) {
    this.file = join(options.stateDir, INCIDENTS_FILE);
    this.#maxIncidents = options.maxIncidents;
    this.#maxTimeline = options.maxTimeline ?? DEFAULT_MAX_TIMELINE;
    this.#maxExplained = options.maxExplainedEntities ?? DEFAULT_MAX_EXPLAINED;
  }

  async load(): Promise<void> {
    const json = (await readJsonFile(this.file)) as { incidents?: unknown } | null;
    if (json === null) {
      return;
    }
    const list = Array.isArray(json.incidents) ? json.incidents : [];
    this.#records = list.filter(isRecord);
  }

  /** Newest first. */
  list(): readonly IncidentHistoryRecord[] {
    return [...this.#records].sort((a, b) => b.openedAt - a.openedAt);
  }

  get(id: string): IncidentHistoryRecord | undefined {
    return this.#records.find((r) => r.id === id);
  }

  open(): IncidentHistoryRecord | undefined {
    return this.#records.find((r) => r.state === 'open');
  }

  /** Applies one evaluation of the engine; `accumulators` are the non-zero ones after it. */
  record(evaluation: IncidentEvaluation, accumulators: Readonly<Record<string, number>>): void {
    if (evaluation.ignored || evaluation.incident === null) {
      return;
    }
    const incident = evaluation.incident;
    let record = this.get(incident.id);
    if (record === undefined) {
      record = this.#create(incident, evaluation.rule === 'opened' ? evaluation : null);
    }
    this.#update(record, incident);
    record.summary = evaluation.summary;
    if (evaluation.rule === 'escalated' || evaluation.rule === 'closed') {
      record.rule = `${record.rule}\n${evaluation.summary}`;
    }
    if (evaluation.rule === 'closed') {
      record.state = 'closed';
      record.closedAt = incident.closedAt ?? evaluation.at;
    }
    record.timeline.push({
      at: evaluation.at,
      temperature: evaluation.temperature,
      severity: evaluation.rule === 'closed' ? null : evaluation.severity.severity,
      rule: evaluation.rule,
      accumulators,
    });
    if (record.timeline.length > this.#maxTimeline) {
      // Keep the opening entry; drop the oldest after it.
      record.timeline.splice(1, 1);
      record.timelineDropped++;
    }
    this.#dirty = true;
    this.#bound();
  }

  /** An open incident continued after a restart; creates its record when the history lacks it. */
  restored(incident: IncidentRecord, from: 'prometheus' | 'local'): void {
    const existing = this.get(incident.id);
    if (existing !== undefined) {
      existing.state = 'open';
      existing.closedAt = null;
      this.#update(existing, incident);
      existing.restoredFrom = from;
    } else {
      const record = this.#create(incident, null);
      record.restoredFrom = from;
      record.rule = `continued after a restart from ${from === 'prometheus' ? 'the exported series in Prometheus' : 'the local state snapshot'}`;
    }
    // An incident the history still shows as open but the restored state does not know was
    // closed while the sidecar was down (or never reached Prometheus); say so rather than keep it open.
    for (const r of this.#records) {
      if (r.state === 'open' && r.id !== incident.id) {
        this.#closeUnknown(r);
      }
    }
    this.#dirty = true;
  }

  /** No incident is open after a restart: records still marked open were closed while down. */
  noneOpen(): void {
    for (const r of this.#records) {
      if (r.state === 'open') {
        this.#closeUnknown(r);
        this.#dirty = true;
      }
    }
  }

  /**
   * Takes an entity out of an incident's affected set because an operator marked it a false
   * positive; the explanation is added to the incident's rules.
   */
  removeAffected(id: string, entry: FalsePositiveEntry, explanation: string): void {
    const record = this.get(id);
    if (record === undefined) {
      return;
    }
    record.affectedEntities = record.affectedEntities.filter((e) => e !== entry.entity);
    record.falsePositives = [...(Array.isArray(record.falsePositives) ? record.falsePositives : []), entry];
    record.rule = `${record.rule}\n${explanation}`;
    this.#dirty = true;
  }

  /** Ids of the feedback records already applied to an incident. */
  appliedFeedback(id: string): Set<string> {
    const list = this.get(id)?.falsePositives;
    return new Set(Array.isArray(list) ? list.map((f) => f.feedbackId) : []);
  }

  setRootCause(id: string, ranking: StoredRanking): void {
    const record = this.get(id);
    if (record !== undefined) {
      record.rootCause = ranking;
      this.#dirty = true;
    }
  }

  /** Writes the file when something changed since the last save. */
  async save(): Promise<void> {
    if (!this.#dirty) {
      return;
    }
    this.#dirty = false;
    try {
      await atomicWriteFile(this.file, JSON.stringify({ version: 1, incidents: this.#records }));
    } catch (error) {
      this.#dirty = true;
      throw error;
    }
  }

  #create(incident: IncidentRecord, opening: IncidentEvaluation | null): IncidentHistoryRecord {
    const record: IncidentHistoryRecord = {
      id: incident.id,
      state: 'open',
      openedAt: incident.openedAt,
      closedAt: null,
      openedSeverity: incident.openedSeverity,
      severity: incident.maxSeverity,
      escalatedAt: incident.escalatedAt,
      peakTemperature: incident.peakTemperature,
      peakAt: incident.peakAt,
      affectedEntities: [...incident.affectedEntities],
      rule: opening?.summary ?? '',
      summary: opening?.summary ?? '',
      explanation: opening === null ? null : this.#trim(opening),
      timeline: [],
      timelineDropped: 0,
      rootCause: null,
    };
    this.#records.push(record);
    return record;
  }

  #update(record: IncidentHistoryRecord, incident: IncidentRecord): void {
    record.severity = incident.maxSeverity;
    record.escalatedAt = incident.escalatedAt;
    record.peakTemperature = Math.max(record.peakTemperature, incident.peakTemperature);
    if (incident.peakTemperature >= record.peakTemperature) {
      record.peakAt = incident.peakAt;
    }
    for (const e of incident.affectedEntities) {
      if (!record.affectedEntities.includes(e)) {
        record.affectedEntities.push(e);
      }
    }
  }

  /** Closed at an unknown time while the sidecar was down: closedAt is the last time it was known open. */
  #closeUnknown(record: IncidentHistoryRecord): void {
    record.state = 'closed';
    record.closedAt = record.closedAt ?? record.timeline[record.timeline.length - 1]?.at ?? record.openedAt;
    record.rule = `${record.rule}\nclosed while the sidecar was not running (the restored state has no open incident with this id; closedAt is the last time it was known open)`;
  }

  /** The opening evaluation with only the entities that mattered (bounded for large meshes). */
  #trim(evaluation: IncidentEvaluation): Record<string, unknown> {
    const mattered = evaluation.entities.filter((e) => e.after > 0 || e.before > 0 || e.interval === 'anomalous');
    mattered.sort((a, b) => b.after - a.after);
    return {
      ...evaluation,
      entities: mattered.slice(0, this.#maxExplained),
      entitiesOmitted: evaluation.entities.length - Math.min(mattered.length, this.#maxExplained),
      unknownEntities: evaluation.unknownEntities.slice(0, this.#maxExplained),
      unknownEntitiesOmitted: Math.max(0, evaluation.unknownEntities.length - this.#maxExplained),
    };
  }

  #bound(): void {
    while (this.#records.length > this.#maxIncidents) {
      const closed = this.#records.filter((r) => r.state === 'closed').sort((a, b) => a.openedAt - b.openedAt)[0];
      if (closed === undefined) {
        return;
      }
      this.#records.splice(this.#records.indexOf(closed), 1);
    }
  }
}
