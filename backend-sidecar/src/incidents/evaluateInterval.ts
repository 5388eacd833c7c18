import { findCallChain } from './findCallChain.js';
import { formatNumber as f } from './formatNumber.js';
import { IncidentInputError } from './IncidentInputError.js';
import type { IncidentConfig } from './resolveIncidentConfig.js';
import type {
  AccumulatorChange,
  CallEdge,
  EntityExplanation,
  EntityState,
  EvaluationInput,
  IncidentEvaluation,
  IncidentRecord,
  IncidentRule,
  IncidentState,
  IntervalState,
  Severity,
  SeverityExplanation,
} from './types.js';

export interface EvaluationStep {
  state: IncidentState;
  evaluation: IncidentEvaluation;
}

const VERDICTS: ReadonlySet<string> = new Set<IntervalState>(['anomalous', 'normal', 'unknown']);
/** Entities named individually in a "no incident" summary. */
const MAX_NAMED = 5;
const RANK: Readonly<Record<Severity, number>> = { SEV2: 1, SEV1: 2 };

/** Keeps repeated fractional gains from drifting (0.1 × 3 ≠ 0.3) across threshold comparisons. */
function tidy(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    total += v;
  }
  return tidy(total);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function overList(n: number): string {
  return n === 1 ? '1 entity over its own threshold' : `${n} entities over their own threshold`;
}

function validateInput(input: EvaluationInput): void {
  if (input === null || typeof input !== 'object') {
    throw new IncidentInputError('input', 'must be an object {at, entities}');
  }
  if (typeof input.at !== 'number' || !Number.isFinite(input.at)) {
    throw new IncidentInputError('input.at', `must be a finite number of unix seconds (got ${String(input.at)})`);
  }
  if (input.entities === null || typeof input.entities !== 'object' || Array.isArray(input.entities)) {
    throw new IncidentInputError('input.entities', 'must be an object {entity: "anomalous" | "normal" | "unknown"}');
  }
  for (const [entity, verdict] of Object.entries(input.entities)) {
    if (entity.length === 0) {
      throw new IncidentInputError('input.entities', 'entity ids must be non-empty');
    }
    if (!VERDICTS.has(verdict)) {
      throw new IncidentInputError(
        `input.entities.${entity}`,
        `must be "anomalous", "normal" or "unknown" (got ${JSON.stringify(verdict)})`
      );
    }
  }
  if (input.callGraph !== undefined) {
    if (!Array.isArray(input.callGraph)) {
      throw new IncidentInputError('input.callGraph', 'must be a list of {client, server}');
    }
    input.callGraph.forEach((edge: CallEdge, i: number) => {
      if (
        edge === null ||
        typeof edge !== 'object' ||
        typeof edge.client !== 'string' ||
        typeof edge.server !== 'string'
      ) {
        throw new IncidentInputError(`input.callGraph[${i}]`, 'must be {client: string, server: string}');
      }
    });
  }
}

interface EntityStep {
  next: EntityState;
  explanation: EntityExplanation;
  /** Set when this interval drained a spike back to 0; used to explain a tolerated spike. */
  drained: boolean;
}

/**
 * Unknown intervals hold the accumulator: rising would let a scrape outage open incidents, and
 * leaking would let a crashed service (which stops reporting) close its own incident.
 */
function stepEntity(
  config: Readonly<IncidentConfig>,
  entity: string,
  prev: EntityState,
  verdict: IntervalState,
  reported: boolean
): EntityStep {
  const threshold = config.entityThresholds[entity] ?? config.entityThreshold;
  const before = prev.value;
  let after = before;
  let change: AccumulatorChange;
  let note: string;
  let drained = false;
  const next: EntityState = { ...prev };

  if (verdict === 'anomalous') {
    after = tidy(Math.min(config.cap, before + config.gain));
    change = after > before ? 'rose' : 'capped';
    note = change === 'rose' ? `anomalous: ${f(before)} → ${f(after)}` : `anomalous: held at cap ${f(config.cap)}`;
    next.peak = Math.max(prev.peak, after);
    next.normalStreak = 0;
    next.unknownStreak = 0;
  } else if (verdict === 'normal') {
    after = tidy(Math.max(0, before - config.leak));
    next.normalStreak = prev.normalStreak + 1;
    next.unknownStreak = 0;
    if (after < before) {
      change = 'leaked';
      if (after === 0) {
        drained = true;
        note = `normal: leaked back to 0 after ${plural(next.normalStreak, 'normal interval')} (peak ${f(prev.peak)})`;
        next.peak = 0;
      } else {
        note = `normal: leaked ${f(before)} → ${f(after)} (${plural(next.normalStreak, 'normal interval')} since the last anomaly, peak ${f(prev.peak)})`;
      }
    } else {
      change = before === 0 ? 'at_floor' : 'held';
      note = before === 0 ? 'normal: at 0' : `normal: held at ${f(before)} (leak is 0)`;
    }
  } else {
    change = 'held';
    next.unknownStreak = prev.unknownStreak + 1;
    const why = reported ? 'no usable data' : 'not reported';
    note = `unknown (${why}, ${plural(next.unknownStreak, 'interval')}): held at ${f(before)}, neither rising nor leaking`;
  }
  next.value = after;
  const overThreshold = after >= threshold;
  return {
    next,
    drained,
    explanation: { entity, interval: verdict, reported, before, after, change, threshold, overThreshold, note },
  };
}

function assessSeverity(
  config: Readonly<IncidentConfig>,
  steps: readonly EntityStep[],
  callGraph: readonly CallEdge[] | undefined
): SeverityExplanation {
  const over = steps.filter((s) => s.explanation.overThreshold).map((s) => s.explanation);
  const overThreshold = over.map((e) => e.entity);
  const listing = over.map((e) => `${e.entity} ${f(e.after)} ≥ ${f(e.threshold)}`).join(', ');
  let countedAs = overThreshold.length;
  let chain: string[] | null = null;
  let chainNote = '';
  if (config.chainAware && countedAs >= 2) {
    if (callGraph === undefined) {
      chainNote = '; chainAware is on but no call graph was given, so they count separately';
    } else {
      chain = findCallChain(overThreshold, callGraph);
      if (chain !== null) {
        countedAs = 1;
        chainNote = `; they lie on one call chain ${chain.join(' → ')} and count as one propagating fault`;
      } else {
        chainNote = '; they do not lie on one call chain, so they count separately';
      }
    }
  }
  const k = config.sev1MinEntities;
  let severity: Severity | null = null;
  let reason: string;
  if (countedAs >= k) {
    severity = 'SEV1';
    reason = `SEV1: ${overList(overThreshold.length)} (${listing}), counted as ${countedAs} ≥ ${k}${chainNote}`;
  } else if (countedAs >= 1) {
    severity = 'SEV2';
    reason = `SEV2: ${overList(overThreshold.length)} (${listing}), counted as ${countedAs} < ${k}${chainNote}`;
  } else {
    const highest = [...steps].sort(
      (a, b) => b.explanation.after / b.explanation.threshold - a.explanation.after / a.explanation.threshold
    )[0];
    reason =
      highest === undefined || highest.explanation.after === 0
        ? 'no severity: no entity has accumulated anything'
        : `no severity: no entity reached its own threshold (highest: ${highest.explanation.entity} ${f(highest.explanation.after)} < ${f(highest.explanation.threshold)})`;
  }
  return { severity, overThreshold, countedAs, chain, sev1MinEntities: k, reason };
}

function ignoredEvaluation(config: Readonly<IncidentConfig>, state: IncidentState, at: number): IncidentEvaluation {
  const temperature = sum(Object.values(state.entities).map((e) => e.value));
  return {
    at,
    ignored: true,
    rule: state.incident === null ? 'none' : 'still_open',
    summary: `ignored: interval ${at} is not after the last evaluated interval ${String(state.lastAt)}; state unchanged`,
    temperatureBefore: temperature,
    temperature,
    openThreshold: config.openThreshold,
    closeThreshold: config.closeThreshold,
    severity: {
      severity: null,
      overThreshold: [],
      countedAs: 0,
      chain: null,
      sev1MinEntities: config.sev1MinEntities,
      reason: 'not evaluated',
    },
    entities: [],
    unknownEntities: [],
    incident:
      state.incident === null ? null : { ...state.incident, affectedEntities: [...state.incident.affectedEntities] },
  };
}

/**
 * One evaluation interval: updates every accumulator, recomputes temperature and severity and
 * applies the open / escalate / close rules. Pure: returns a new state and never touches
 * `state` or `input`.
 *
 * An incident opens when temperature ≥ openThreshold *and* at least one entity is over its
 * own threshold. The second condition keeps a load spike that nudges many entities a little
 * (temperature is a sum, so it grows with the number of entities) from opening an incident
 * that no single entity justifies; it is also what the lab's detector did when it reported
 * neither SEV1 nor SEV2. Once open, only temperature ≤ closeThreshold closes it.
 */
export function evaluateInterval(
  config: Readonly<IncidentConfig>,
  state: IncidentState,
  input: EvaluationInput
): EvaluationStep {
  validateInput(input);
  const { at } = input;
  if (state.lastAt !== null && at <= state.lastAt) {
    return { state, evaluation: ignoredEvaluation(config, state, at) };
  }

  const ids = [...new Set([...Object.keys(state.entities), ...Object.keys(input.entities)])].sort();
  const steps: EntityStep[] = [];
  const entities: Record<string, EntityState> = {};
  for (const id of ids) {
    const reported = Object.prototype.hasOwnProperty.call(input.entities, id);
    const prev = state.entities[id] ?? { value: 0, peak: 0, normalStreak: 0, unknownStreak: 0 };
    // An entity that stopped being reported and has nothing accumulated carries no information.
    if (!reported && prev.value === 0) {
      continue;
    }
    const verdict = reported ? (input.entities[id] as IntervalState) : 'unknown';
    const step = stepEntity(config, id, prev, verdict, reported);
    steps.push(step);
    entities[id] = step.next;
  }

  const temperatureBefore = sum(Object.values(state.entities).map((e) => e.value));
  const temperature = sum(steps.map((s) => s.next.value));
  const severity = assessSeverity(config, steps, input.callGraph);
  const unknownEntities = steps.filter((s) => s.explanation.interval === 'unknown').map((s) => s.explanation.entity);
  const unknownNote = unknownEntities.length > 0 ? `; unknown (held): ${unknownEntities.join(', ')}` : '';

  let incident: IncidentRecord | null =
    state.incident === null ? null : { ...state.incident, affectedEntities: [...state.incident.affectedEntities] };
  let rule: IncidentRule;
  let summary: string;
  let nextIncident: IncidentRecord | null;

  if (incident !== null) {
    for (const e of severity.overThreshold) {
      if (!incident.affectedEntities.includes(e)) {
        incident.affectedEntities.push(e);
      }
    }
    if (temperature > incident.peakTemperature) {
      incident.peakTemperature = temperature;
      incident.peakAt = at;
    }
    if (temperature <= config.closeThreshold) {
      incident.closedAt = at;
      rule = 'closed';
      summary =
        `closed ${incident.id} after ${at - incident.openedAt} s: temperature ${f(temperature)} ≤ close threshold ${f(config.closeThreshold)}` +
        ` (peak ${f(incident.peakTemperature)}, max ${incident.maxSeverity})${unknownNote}`;
      nextIncident = null;
    } else if (severity.severity !== null && RANK[severity.severity] > RANK[incident.maxSeverity]) {
      const from = incident.maxSeverity;
      incident.maxSeverity = severity.severity;
      incident.escalatedAt = at;
      rule = 'escalated';
      summary = `escalated ${incident.id} ${from} → ${severity.severity}: ${severity.reason}${unknownNote}`;
      nextIncident = incident;
    } else {
      rule = 'still_open';
      summary =
        `${incident.id} still open (${incident.maxSeverity}): temperature ${f(temperature)} > close threshold ${f(config.closeThreshold)}` +
        `${unknownNote}`;
      nextIncident = incident;
    }
  } else if (temperature >= config.openThreshold && severity.severity !== null) {
    incident = {
      id: `${config.idPrefix}${at}`,
      openedAt: at,
      closedAt: null,
      openedSeverity: severity.severity,
      maxSeverity: severity.severity,
      escalatedAt: null,
      peakTemperature: temperature,
      peakAt: at,
      affectedEntities: [...severity.overThreshold],
    };
    rule = 'opened';
    summary = `opened ${severity.severity} incident ${incident.id}: temperature ${f(temperature)} ≥ open threshold ${f(config.openThreshold)}; ${severity.reason}${unknownNote}`;
    nextIncident = incident;
  } else {
    rule = 'none';
    nextIncident = null;
    const head =
      temperature >= config.openThreshold
        ? `no incident: temperature ${f(temperature)} ≥ open threshold ${f(config.openThreshold)} but ${severity.reason.replace(/^no severity: /, '')}`
        : `no incident: temperature ${f(temperature)} < open threshold ${f(config.openThreshold)}`;
    const spikes = steps
      .filter((s) => s.drained || s.next.value > 0)
      .map(
        (s) =>
          `${s.explanation.entity} ${s.drained ? s.explanation.note.replace(/^normal: /, '') : `at ${f(s.next.value)} (${s.explanation.overThreshold ? '≥' : '<'} own threshold ${f(s.explanation.threshold)})`}`
      );
    // Long meshes would make the sentence unreadable; the entity list has every detail.
    const shown =
      spikes.length > MAX_NAMED ? [...spikes.slice(0, MAX_NAMED), `and ${spikes.length - MAX_NAMED} more`] : spikes;
    summary = [head, ...shown].join('; ') + unknownNote;
  }

  const nextState: IncidentState = {
    version: 1,
    lastAt: at,
    entities,
    incident: nextIncident === null ? null : { ...nextIncident, affectedEntities: [...nextIncident.affectedEntities] },
  };
  return {
    state: nextState,
    evaluation: {
      at,
      ignored: false,
      rule,
      summary,
      temperatureBefore,
      temperature,
      openThreshold: config.openThreshold,
      closeThreshold: config.closeThreshold,
      severity,
      entities: steps.map((s) => s.explanation),
      unknownEntities,
      incident,
    },
  };
}
