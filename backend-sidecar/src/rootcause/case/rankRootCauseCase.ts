import { alignSeries, CANONICAL_SIGNALS, stepGrid, type BadDirection, type StepGrid } from '../../signals/index.js';
import { calibrateDeviation } from '../calibrateDeviation.js';
import { rankRootCauses } from '../rankRootCauses.js';
import { DEFAULT_RANK_OPTIONS } from '../resolveRankOptions.js';
import { roleOfSignal } from '../roleOfSignal.js';
import type {
  EdgeAnomaly,
  RankOptions,
  RootCauseRanking,
  ServiceAnomaly,
  SignalDeviation,
  SignalRole,
} from '../types.js';

import type { CasePeriod, RootCauseCase, SignalDeclaration, SignalTable } from './types.js';

export interface CaseRankingOptions {
  /** Window and persistence of the ranking (see RankOptions). */
  rank?: Partial<RankOptions>;
  /**
   * Recent-level window in seconds before the analysed window opens (see calibrateDeviation);
   * null compares with the baseline median.
   */
  level?: { from: number; to: number } | null;
  /** Passed to calibrateDeviation. */
  tailQuantile?: number;
  minTail?: number;
}

export interface CaseRanking {
  ranking: RootCauseRanking;
  /** Signals that could not be calibrated (no baseline data), as "entity.signal". */
  uncalibrated: string[];
  /** How signal columns were interpreted, for undeclared free-form columns. */
  notes: string[];
}

/** Evaluation defaults: a quarter hour of recent history, ending 3 minutes before the window. */
export const DEFAULT_CASE_LEVEL = Object.freeze({ from: 900, to: 180 });

interface Resolved {
  role: SignalRole;
  badDirection: BadDirection;
  scaleFloor: number | undefined;
}

function resolveSignal(
  scope: 'service' | 'edge',
  name: string,
  declared: Record<string, SignalDeclaration> | undefined,
  notes: Set<string>
): Resolved {
  const role = roleOfSignal(scope, name);
  if (role !== null) {
    const spec = (
      CANONICAL_SIGNALS[scope] as Readonly<Record<string, { badDirection: BadDirection; scaleFloor: number }>>
    )[name];
    return { role, badDirection: spec?.badDirection ?? 'both', scaleFloor: spec?.scaleFloor };
  }
  const d = declared?.[name];
  if (d) {
    return { role: d.role, badDirection: d.badDirection, scaleFloor: d.scaleFloor };
  }
  notes.add(`${scope} signal "${name}" is neither canonical nor declared: used as role "other", both directions`);
  return { role: 'other', badDirection: 'both', scaleFloor: undefined };
}

function gridOf(period: CasePeriod, step: number): StepGrid | null {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const tables: SignalTable[] = [...Object.values(period.services), ...period.edges];
  for (const t of tables) {
    if (t.timestamps.length === 0) {
      continue;
    }
    lo = Math.min(lo, t.timestamps[0] as number);
    hi = Math.max(hi, t.timestamps[t.timestamps.length - 1] as number);
  }
  if (!Number.isFinite(lo)) {
    return null;
  }
  // Grid points on multiples of the step, so window and baseline grids line up.
  const start = Math.round(lo / step) * step;
  const end = Math.round(hi / step) * step;
  return stepGrid(start, Math.max(start, end), step);
}

function aligned(table: SignalTable | undefined, column: string, grid: StepGrid): number[] {
  const values = table?.columns[column];
  if (!table || !values || !values.some((v) => Number.isFinite(v))) {
    return grid.timestamps.map(() => Number.NaN);
  }
  const points = table.timestamps.map((t, i) => [t, values[i] ?? Number.NaN] as const);
  // One missing step may be bridged; longer gaps stay unknown, since silence is evidence here.
  return alignSeries(points, grid, { maxInterpolationSteps: 1, name: column }).values;
}

/** Rows of `period` strictly before `before`, used as the baseline when a case brings none. */
function headOf(period: CasePeriod, before: number): CasePeriod {
  const cut = (t: SignalTable): SignalTable => {
    const n = t.timestamps.findIndex((x) => x >= before);
    const end = n < 0 ? t.timestamps.length : n;
    return {
      timestamps: t.timestamps.slice(0, end),
      columns: Object.fromEntries(Object.entries(t.columns).map(([k, v]) => [k, v.slice(0, end)])),
    };
  };
  return {
    services: Object.fromEntries(Object.entries(period.services).map(([k, v]) => [k, cut(v)])),
    edges: period.edges.map((e) => ({ ...cut(e), client: e.client, server: e.server })),
  };
}

/**
 * Ranks one case of the generic root-cause format: aligns every column onto the step grid,
 * calibrates it against the case's baseline (or, without one, the part of the window before
 * the analysed interval) and hands the deviations to rankRootCauses. Pure: the files are read
 * by the caller.
 */
export function rankRootCauseCase(rootCase: RootCauseCase, options: CaseRankingOptions = {}): CaseRanking {
  const { meta } = rootCase;
  const step = meta.step;
  const rank = options.rank ?? {};
  const lookback = rank.lookbackSeconds ?? DEFAULT_RANK_OPTIONS.lookbackSeconds;
  const minSteps = rank.minSteps ?? DEFAULT_RANK_OPTIONS.minSteps;
  const level = options.level === undefined ? DEFAULT_CASE_LEVEL : options.level;
  const windowStart = meta.alertTime - lookback;
  const notes = new Set<string>();
  const uncalibrated: string[] = [];

  const grid = gridOf(rootCase.window, step);
  if (grid === null) {
    throw new Error(`case ${meta.id}: the window has no rows`);
  }
  const baselinePeriod = rootCase.baseline ?? headOf(rootCase.window, windowStart);
  if (rootCase.baseline === null) {
    notes.add('no baseline in the case: the window rows before the analysed interval serve as baseline');
  }
  const baseGrid = gridOf(baselinePeriod, step);

  const calibrate = (
    scope: 'service' | 'edge',
    entity: string,
    table: SignalTable | undefined,
    baseTable: SignalTable | undefined,
    declared: Record<string, SignalDeclaration> | undefined
  ): Record<string, SignalDeviation> => {
    const signals: Record<string, SignalDeviation> = {};
    for (const column of Object.keys(table?.columns ?? {}).sort()) {
      const r = resolveSignal(scope, column, declared, notes);
      const values = aligned(table, column, grid);
      const baseValues = baseGrid ? aligned(baseTable, column, baseGrid) : [];
      const result = calibrateDeviation(
        { timestamps: grid.timestamps, values },
        { timestamps: baseGrid?.timestamps ?? [], values: baseValues },
        {
          step,
          referenceTime: windowStart,
          level,
          absoluteFloor: r.scaleFloor,
          persistenceSteps: minSteps,
          tailQuantile: options.tailQuantile,
          minTail: options.minTail,
        }
      );
      if (result.status !== 'ok' && values.some((v) => Number.isFinite(v))) {
        uncalibrated.push(`${entity}.${column}`);
      }
      signals[column] = { role: r.role, badDirection: r.badDirection, deviation: result.deviation };
    }
    return signals;
  };

  const serviceNames = new Set(meta.services);
  const graph = [...rootCase.graph];
  const inGraph = new Set(graph.map((e) => `${e.client}\u0000${e.server}`));
  for (const e of rootCase.window.edges) {
    if (!inGraph.has(`${e.client}\u0000${e.server}`)) {
      graph.push({ client: e.client, server: e.server });
      inGraph.add(`${e.client}\u0000${e.server}`);
      notes.add(`edge ${e.client} -> ${e.server} has measurements but is not in graph.csv: added`);
    }
  }
  for (const e of graph) {
    for (const s of [e.client, e.server]) {
      if (!serviceNames.has(s)) {
        serviceNames.add(s);
        notes.add(`service ${s} is in the graph but has no metrics: treated as emitting nothing`);
      }
    }
  }

  const services: Record<string, ServiceAnomaly> = {};
  for (const s of [...serviceNames].sort()) {
    services[s] = {
      signals: calibrate('service', s, rootCase.window.services[s], baselinePeriod.services[s], meta.serviceSignals),
    };
  }
  const baseEdges = new Map(baselinePeriod.edges.map((e) => [`${e.client}\u0000${e.server}`, e]));
  const edges: EdgeAnomaly[] = rootCase.window.edges.map((e) => ({
    client: e.client,
    server: e.server,
    signals: calibrate(
      'edge',
      `${e.client}->${e.server}`,
      e,
      baseEdges.get(`${e.client}\u0000${e.server}`),
      meta.edgeSignals
    ),
  }));

  const ranking = rankRootCauses(
    { timestamps: grid.timestamps, alertTime: meta.alertTime, callGraph: graph, services, edges },
    { ...rank, lookbackSeconds: lookback, minSteps }
  );
  return { ranking, uncalibrated, notes: [...notes] };
}
