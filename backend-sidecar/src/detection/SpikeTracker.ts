import { formatNumber } from '../incidents/formatNumber.js';
import type { IncidentEvaluation } from '../incidents/types.js';
import type { EvaluationNote } from '../storage/EvaluationNotes.js';

interface Run {
  peak: number;
  maxTemperature: number;
}

/**
 * Turns incident-engine evaluations into the notes an operator reads afterwards: incidents
 * opened, escalated and closed, and spikes the engine tolerated, each with why it did not become
 * an incident. A spike is an accumulator run from leaving 0 to draining back to 0; runs that
 * peaked below `minPeak` (a single anomalous interval) are not noted.
 */
export class SpikeTracker {
  readonly #minPeak: number;
  readonly #runs = new Map<string, Run>();

  constructor(minPeak: number) {
    this.#minPeak = minPeak;
  }

  observe(evaluation: IncidentEvaluation): EvaluationNote[] {
    if (evaluation.ignored) {
      return [];
    }
    const notes: EvaluationNote[] = [];
    const incident = evaluation.incident;
    if (evaluation.rule === 'opened' || evaluation.rule === 'escalated' || evaluation.rule === 'closed') {
      notes.push({
        at: evaluation.at,
        kind: evaluation.rule,
        rule: evaluation.rule,
        entity: null,
        scope: null,
        peak: null,
        threshold: null,
        temperature: evaluation.temperature,
        incidentId: incident?.id ?? null,
        summary: evaluation.summary,
      });
    }
    const inIncident = new Set(incident?.affectedEntities ?? []);
    for (const e of evaluation.entities) {
      if (e.after > 0) {
        const run = this.#runs.get(e.entity) ?? { peak: 0, maxTemperature: 0 };
        run.peak = Math.max(run.peak, e.after);
        run.maxTemperature = Math.max(run.maxTemperature, evaluation.temperature);
        this.#runs.set(e.entity, run);
        continue;
      }
      const run = this.#runs.get(e.entity);
      this.#runs.delete(e.entity);
      if (run === undefined || e.change !== 'leaked' || run.peak < this.#minPeak || inIncident.has(e.entity)) {
        continue;
      }
      const f = formatNumber;
      const why =
        run.peak < e.threshold
          ? `peaked at ${f(run.peak)}, below its own threshold ${f(e.threshold)}, and leaked back to 0: a transient, not a sustained fault`
          : `reached its own threshold (${f(run.peak)} ≥ ${f(e.threshold)}) but the temperature peaked at ${f(run.maxTemperature)} < open threshold ${f(evaluation.openThreshold)}; leaked back to 0`;
      notes.push({
        at: evaluation.at,
        kind: 'tolerated',
        rule: evaluation.rule,
        entity: e.entity,
        scope: e.entity.includes('->') ? 'edge' : 'service',
        peak: run.peak,
        threshold: e.threshold,
        temperature: run.maxTemperature,
        incidentId: null,
        summary: `${e.entity} ${why}`,
      });
    }
    return notes;
  }

  /** Forgets runs of entities no longer evaluated. */
  retain(entities: ReadonlySet<string>): void {
    for (const id of this.#runs.keys()) {
      if (!entities.has(id)) {
        this.#runs.delete(id);
      }
    }
  }
}
