import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import {
  ROOT_CAUSE_CASE_FORMAT,
  type CasePeriod,
  type EdgeTable,
  type RootCauseCase,
  type SignalDeclaration,
  type SignalTable,
} from '../../rootcause/case/index.js';

import { NEZHA_EDGE_FILES, NEZHA_POD_COLUMNS } from './nezhaColumns.js';
import { parseNezhaTime } from './parseNezhaTime.js';
import { readNezhaCsv } from './readNezhaCsv.js';
import { serviceOfPod } from './serviceOfPod.js';
import { writeRootCauseCase } from './writeRootCauseCase.js';

/** Bump when the output changes, so cached conversions are rebuilt. */
export const NEZHA_CONVERTER_VERSION = 2;

const STEP = 60;

export interface BaselinePolicy {
  /** Most minutes of normal behaviour per case. */
  maxMinutes: number;
  /** Only stretches of at least this many clean minutes count (see selectBaselineMinutes). */
  minSegmentMinutes: number;
  /** Minutes around every labelled injection that are never normal. */
  excludeBeforeSeconds: number;
  excludeAfterSeconds: number;
  /** A baseline minute's load level (running median of the total request rate) must be within
   * this factor of the case window's. */
  loadFactor: number;
}

export interface ConvertNezhaOptions {
  /** Root of the Nezha layout (holds rca_data/ and, optionally, construct_data/). */
  dataDir: string;
  outDir: string;
  log?: (line: string) => void;
  /** Context kept around the alert in the window files. */
  windowBeforeSeconds?: number;
  windowAfterSeconds?: number;
  baseline?: Partial<BaselinePolicy>;
}

export interface ConvertedCase {
  id: string;
  /** Case folder relative to outDir. */
  path: string;
  system: string;
  day: string;
  label: { service: string; type: string; time: number };
}

export interface NezhaConversion {
  cases: ConvertedCase[];
  notes: string[];
}

/**
 * Fault-free stretches are taken from long gaps only: during an injection campaign the short
 * gaps between labelled faults are also where unlabelled or failed injections tend to sit.
 * Four hours give the 99th percentile used for calibration a few hundred points to rest on.
 */
export const DEFAULT_BASELINE_POLICY: Readonly<BaselinePolicy> = Object.freeze({
  maxMinutes: 240,
  minSegmentMinutes: 30,
  excludeBeforeSeconds: 600,
  excludeAfterSeconds: 1200,
  loadFactor: 2,
});

interface Fault {
  time: number;
  pod: string;
  service: string;
  type: string;
}

/** One service's (or edge's) values per minute and signal, before slicing into cases. */
type MinuteTable = Map<number, Map<string, number>>;

interface DayData {
  day: string;
  system: string;
  faults: Fault[];
  services: Map<string, MinuteTable>;
  edges: Map<string, { client: string; server: string; table: MinuteTable }>;
  graph: Array<{ client: string; server: string }>;
  serviceSignals: Record<string, SignalDeclaration>;
  edgeSignals: Record<string, SignalDeclaration>;
  notes: string[];
}

function minuteOf(t: number): number {
  return Math.round(t / STEP) * STEP;
}

async function metricDirs(dataDir: string, day: string): Promise<string[]> {
  // rca_data first: where both folders hold a minute, the fault phase's own copy wins.
  return ['rca_data', 'construct_data'].map((d) => join(dataDir, d, day, 'metric')).filter((d) => existsSync(d));
}

async function loadPods(dirs: string[], notes: string[]): Promise<Map<string, MinuteTable>> {
  // service → minute → signal → per-pod values, combined at the end.
  const raw = new Map<string, Map<number, Map<string, { values: number[]; pods: Set<string> }>>>();
  const seenPodMinute = new Set<string>();
  for (const dir of dirs) {
    const files = (await readdir(dir)).filter((f) => /_metric\.csv(\.gz)?$/.test(f)).sort();
    for (const file of files) {
      const pod = file.replace(/_metric\.csv(\.gz)?$/, '');
      const csv = await readNezhaCsv(join(dir, file.replace(/\.csv(\.gz)?$/, '')));
      if (!csv) {
        continue;
      }
      const timeCol = csv.header.indexOf('Time');
      const stampCol = csv.header.indexOf('TimeStamp');
      const service = serviceOfPod(pod);
      let disagreements = 0;
      let perService = raw.get(service);
      if (!perService) {
        perService = new Map();
        raw.set(service, perService);
      }
      for (const row of csv.rows) {
        const fromText = timeCol >= 0 ? parseNezhaTime(row[timeCol] as string) : Number.NaN;
        const fromStamp = stampCol >= 0 ? Number(row[stampCol]) : Number.NaN;
        // The text column is preferred: in some files the numeric one is off by years.
        const t = Number.isFinite(fromText) ? fromText : fromStamp;
        if (!Number.isFinite(t)) {
          continue;
        }
        if (Number.isFinite(fromText) && Number.isFinite(fromStamp) && Math.abs(fromText - fromStamp) > STEP) {
          disagreements++;
        }
        const minute = minuteOf(t);
        const key = `${pod}\u0000${minute}`;
        if (seenPodMinute.has(key)) {
          continue;
        }
        seenPodMinute.add(key);
        let cells = perService.get(minute);
        if (!cells) {
          cells = new Map();
          perService.set(minute, cells);
        }
        csv.header.forEach((name, c) => {
          const column = NEZHA_POD_COLUMNS[name];
          if (!column) {
            return;
          }
          const text = (row[c] as string).trim();
          const value = text === '' ? Number.NaN : Number(text) * column.scale;
          if (!Number.isFinite(value)) {
            return;
          }
          let cell = cells.get(column.signal);
          if (!cell) {
            cell = { values: [], pods: new Set() };
            cells.set(column.signal, cell);
          }
          cell.values.push(value);
          cell.pods.add(pod);
        });
      }
      if (disagreements > 0) {
        notes.push(
          `${join(dir, file)}: TimeStamp column disagrees with Time text in ${disagreements} rows; the text was used`
        );
      }
    }
  }
  const aggregateOf = new Map(Object.values(NEZHA_POD_COLUMNS).map((c) => [c.signal, c.aggregate]));
  const out = new Map<string, MinuteTable>();
  for (const [service, minutes] of raw) {
    const table: MinuteTable = new Map();
    for (const [minute, cells] of minutes) {
      const row = new Map<string, number>();
      for (const [signal, cell] of cells) {
        const how = aggregateOf.get(signal) ?? 'mean';
        const sum = cell.values.reduce((a, b) => a + b, 0);
        row.set(signal, how === 'sum' ? sum : how === 'max' ? Math.max(...cell.values) : sum / cell.values.length);
      }
      table.set(minute, row);
    }
    out.set(service, table);
  }
  return out;
}

/** Splits "caller_callee" where both halves are known services (names may contain "_"). */
function splitEdgeName(name: string, known: ReadonlySet<string>): { client: string; server: string } | null {
  const matches: Array<{ client: string; server: string }> = [];
  for (let i = name.indexOf('_'); i >= 0; i = name.indexOf('_', i + 1)) {
    const client = name.slice(0, i);
    const server = name.slice(i + 1);
    if (known.has(client) && known.has(server)) {
      matches.push({ client, server });
    }
  }
  return matches.length === 1 ? (matches[0] as { client: string; server: string }) : null;
}

async function loadEdges(
  dirs: string[],
  known: ReadonlySet<string>,
  notes: string[]
): Promise<Map<string, { client: string; server: string; table: MinuteTable }>> {
  const edges = new Map<string, { client: string; server: string; table: MinuteTable }>();
  for (const [base, spec] of Object.entries(NEZHA_EDGE_FILES)) {
    for (const dir of dirs) {
      const csv = await readNezhaCsv(join(dir, base));
      if (!csv) {
        continue;
      }
      const timeCol = csv.header.findIndex((h) => h.toLowerCase() === 'time');
      const stampCol = csv.header.findIndex((h) => h.toLowerCase() === 'timestamp');
      const columns: Array<{ c: number; key: string; client: string; server: string }> = [];
      csv.header.forEach((h, c) => {
        if (c === timeCol || c === stampCol) {
          return;
        }
        const pair = splitEdgeName(h, known);
        if (!pair) {
          notes.push(`${csv.file}: column "${h}" does not split into two known services; skipped`);
          return;
        }
        columns.push({ c, key: `${pair.client}\u0000${pair.server}`, ...pair });
      });
      for (const row of csv.rows) {
        const fromText = timeCol >= 0 ? parseNezhaTime(row[timeCol] as string) : Number.NaN;
        const t = Number.isFinite(fromText) ? fromText : Number(row[stampCol] ?? '');
        if (!Number.isFinite(t)) {
          continue;
        }
        const minute = minuteOf(t);
        for (const col of columns) {
          const text = (row[col.c] as string).trim();
          const value = text === '' ? Number.NaN : Number(text);
          if (!Number.isFinite(value)) {
            continue;
          }
          let edge = edges.get(col.key);
          if (!edge) {
            edge = { client: col.client, server: col.server, table: new Map() };
            edges.set(col.key, edge);
          }
          let cells = edge.table.get(minute);
          if (!cells) {
            cells = new Map();
            edge.table.set(minute, cells);
          }
          // First folder wins, as for pods.
          if (!cells.has(spec.signal)) {
            cells.set(spec.signal, value);
          }
        }
      }
    }
  }
  return edges;
}

async function loadGraph(
  dirs: string[],
  withMetrics: ReadonlySet<string>,
  notes: string[]
): Promise<Array<{ client: string; server: string }>> {
  for (const dir of dirs) {
    const csv = await readNezhaCsv(join(dir, 'dependency'));
    if (!csv) {
      continue;
    }
    const si = csv.header.findIndex((h) => h.toLowerCase() === 'source');
    const ti = csv.header.findIndex((h) => h.toLowerCase() === 'target');
    if (si < 0 || ti < 0) {
      notes.push(`${csv.file}: no Source/Target columns; call graph not read`);
      return [];
    }
    const graph: Array<{ client: string; server: string }> = [];
    const dropped = new Set<string>();
    const seen = new Set<string>();
    for (const row of csv.rows) {
      const client = (row[si] as string).trim();
      const server = (row[ti] as string).trim();
      if (!withMetrics.has(client) || !withMetrics.has(server)) {
        dropped.add(withMetrics.has(client) ? server : client);
        continue;
      }
      const key = `${client}\u0000${server}`;
      if (client === server || seen.has(key)) {
        continue;
      }
      seen.add(key);
      graph.push({ client, server });
    }
    if (dropped.size > 0) {
      notes.push(
        `${csv.file}: ${dropped.size} endpoints without metrics left out of the graph (hosts, load generator): ${[...dropped].sort().slice(0, 5).join(', ')}${dropped.size > 5 ? ', ...' : ''}`
      );
    }
    return graph;
  }
  return [];
}

async function loadFaults(dataDir: string, day: string, notes: string[]): Promise<Fault[]> {
  const file = join(dataDir, 'rca_data', day, `${day}-fault_list.json`);
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Record<string, Array<Record<string, string>>>;
  const faults: Fault[] = [];
  for (const hour of Object.keys(parsed).sort()) {
    for (const entry of parsed[hour] ?? []) {
      const fromText = parseNezhaTime(entry.inject_time ?? '');
      const fromStamp = Number(entry.inject_timestamp);
      const time = Number.isFinite(fromText) ? fromText : fromStamp;
      if (!Number.isFinite(time) || !entry.inject_pod) {
        notes.push(`${file}: entry ${JSON.stringify(entry)} has no usable time or pod; skipped`);
        continue;
      }
      if (Number.isFinite(fromText) && Number.isFinite(fromStamp) && Math.abs(fromText - fromStamp) > STEP) {
        notes.push(
          `${file}: ${entry.inject_time} disagrees with inject_timestamp ${entry.inject_timestamp}; the time text was used`
        );
      }
      faults.push({
        time,
        pod: entry.inject_pod,
        service: serviceOfPod(entry.inject_pod),
        type: entry.inject_type ?? 'unknown',
      });
    }
  }
  return faults.sort((a, b) => a.time - b.time);
}

/** Nezha holds two systems; their service names tell them apart. */
function systemOf(services: Iterable<string>): string {
  const names = [...services];
  const ts = names.filter((n) => n.startsWith('ts-')).length;
  if (ts > names.length / 2) {
    return 'train-ticket';
  }
  if (names.includes('frontend') && names.includes('cartservice')) {
    return 'online-boutique';
  }
  return 'unknown';
}

async function loadDay(dataDir: string, day: string): Promise<DayData> {
  const notes: string[] = [];
  const dirs = await metricDirs(dataDir, day);
  const services = await loadPods(dirs, notes);
  const known = new Set(services.keys());
  const edges = await loadEdges(dirs, known, notes);
  const graph = await loadGraph(dirs, known, notes);
  const inGraph = new Set(graph.map((e) => `${e.client}\u0000${e.server}`));
  for (const [key, e] of edges) {
    if (!inGraph.has(key)) {
      graph.push({ client: e.client, server: e.server });
      inGraph.add(key);
    }
  }
  if (graph.length === 0) {
    notes.push(`${day}: no call graph in the data; cases carry an empty graph.csv`);
  }
  const faults = await loadFaults(dataDir, day, notes);
  const serviceSignals: Record<string, SignalDeclaration> = {};
  for (const c of Object.values(NEZHA_POD_COLUMNS)) {
    if (c.declaration) {
      serviceSignals[c.signal] = c.declaration;
    }
  }
  const edgeSignals: Record<string, SignalDeclaration> = {};
  for (const e of Object.values(NEZHA_EDGE_FILES)) {
    edgeSignals[e.signal] = e.declaration;
  }
  return { day, system: systemOf(known), faults, services, edges, graph, serviceSignals, edgeSignals, notes };
}

function totalLoad(day: DayData, minute: number): number {
  let total = 0;
  let seen = false;
  for (const table of day.services.values()) {
    const v = table.get(minute)?.get('request_rate');
    if (v !== undefined && Number.isFinite(v)) {
      total += v;
      seen = true;
    }
  }
  return seen ? total : Number.NaN;
}

/** Half-width of the running median that describes the load level around a minute. */
const LOAD_SMOOTHING_MINUTES = 7;

/**
 * The system's load level per minute: the running median of the total request rate over a
 * quarter hour. Per-minute totals of a lightly loaded system swing by a factor of three from one
 * minute to the next; the level is what tells a busy period from an idle one.
 */
function loadLevels(day: DayData, minutes: readonly number[]): Map<number, number> {
  const totals = new Map(minutes.map((m) => [m, totalLoad(day, m)]));
  const levels = new Map<number, number>();
  for (const m of minutes) {
    const around: number[] = [];
    for (let k = -LOAD_SMOOTHING_MINUTES; k <= LOAD_SMOOTHING_MINUTES; k++) {
      const v = totals.get(m + k * STEP);
      if (v !== undefined && Number.isFinite(v)) {
        around.push(v);
      }
    }
    levels.set(m, median(around));
  }
  return levels;
}

function median(values: number[]): number {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) {
    return Number.NaN;
  }
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Normal minutes for one case: not near any labelled injection, carrying a load comparable to
 * the case's, in stretches of at least `minSegmentMinutes`. The most recent stretches before
 * the case come first, as a live system only has the past; when the recording starts with the
 * faults, the nearest stretches after the case fill up.
 */
function selectBaselineMinutes(
  day: DayData,
  minutes: readonly number[],
  levels: ReadonlyMap<number, number>,
  alert: number,
  windowMinutes: number[],
  policy: BaselinePolicy
): number[] {
  const reference = median(windowMinutes.map((m) => levels.get(m) ?? Number.NaN));
  const clean = (m: number) => {
    for (const f of day.faults) {
      if (m >= f.time - policy.excludeBeforeSeconds && m <= f.time + policy.excludeAfterSeconds) {
        return false;
      }
    }
    if (Number.isFinite(reference) && reference > 0) {
      const load = levels.get(m) ?? Number.NaN;
      if (!(load >= reference / policy.loadFactor && load <= reference * policy.loadFactor)) {
        return false;
      }
    }
    return true;
  };
  const segments: number[][] = [];
  let current: number[] = [];
  for (const m of minutes) {
    const contiguous = current.length > 0 && m - (current[current.length - 1] as number) === STEP;
    if (clean(m) && (current.length === 0 || contiguous)) {
      current.push(m);
      continue;
    }
    if (current.length >= policy.minSegmentMinutes) {
      segments.push(current);
    }
    current = clean(m) ? [m] : [];
  }
  if (current.length >= policy.minSegmentMinutes) {
    segments.push(current);
  }

  const picked: number[] = [];
  const past = segments.filter((s) => (s[s.length - 1] as number) < alert).reverse();
  for (const s of past) {
    for (let i = s.length - 1; i >= 0 && picked.length < policy.maxMinutes; i--) {
      picked.push(s[i] as number);
    }
  }
  const future = segments.filter((s) => (s[0] as number) > alert);
  for (const s of future) {
    for (let i = 0; i < s.length && picked.length < policy.maxMinutes; i++) {
      picked.push(s[i] as number);
    }
  }
  return picked.sort((a, b) => a - b);
}

function sliceTable(table: MinuteTable, minutes: number[]): SignalTable {
  const signals = new Set<string>();
  for (const row of table.values()) {
    for (const s of row.keys()) {
      signals.add(s);
    }
  }
  const names = [...signals].sort();
  const timestamps: number[] = [];
  const columns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, [] as number[]]));
  for (const m of minutes) {
    const row = table.get(m);
    if (!row) {
      continue;
    }
    timestamps.push(m);
    for (const n of names) {
      columns[n]?.push(row.get(n) ?? Number.NaN);
    }
  }
  return { timestamps, columns };
}

function period(day: DayData, minutes: number[]): CasePeriod {
  const services: Record<string, SignalTable> = {};
  for (const [s, table] of [...day.services].sort(([a], [b]) => a.localeCompare(b))) {
    services[s] = sliceTable(table, minutes);
  }
  const edges: EdgeTable[] = [...day.edges.values()]
    .sort((a, b) => a.client.localeCompare(b.client) || a.server.localeCompare(b.server))
    .map((e) => ({ client: e.client, server: e.server, ...sliceTable(e.table, minutes) }))
    .filter((e) => e.timestamps.length > 0);
  return { services, edges };
}

function caseId(day: string, fault: Fault): string {
  const hhmmss = new Date(fault.time * 1000).toISOString().slice(11, 19).replace(/:/g, '');
  return `${day}T${hhmmss}-${fault.service}`;
}

/**
 * Converts the Nezha layout (rca_data/<day>/..., construct_data/<day>/...) into one folder per
 * fault in the generic root-cause case format, plus an index.json listing them. Only metrics
 * and the call graph are read; traces and logs are not.
 */
export async function convertNezha(options: ConvertNezhaOptions): Promise<NezhaConversion> {
  const log = options.log ?? (() => undefined);
  const before = options.windowBeforeSeconds ?? 1800;
  const after = options.windowAfterSeconds ?? 900;
  const policy: BaselinePolicy = { ...DEFAULT_BASELINE_POLICY, ...options.baseline };
  const rca = join(options.dataDir, 'rca_data');
  if (!existsSync(rca)) {
    throw new Error(`${options.dataDir}: no rca_data folder (is this the Nezha layout?)`);
  }
  const days = (await readdir(rca, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && existsSync(join(rca, d.name, `${d.name}-fault_list.json`)))
    .map((d) => d.name)
    .sort();
  const cases: ConvertedCase[] = [];
  const notes: string[] = [];
  for (const dayName of days) {
    const day = await loadDay(options.dataDir, dayName);
    notes.push(...day.notes);
    log(
      `nezha ${dayName}: ${day.system}, ${day.services.size} services, ${day.graph.length} calls, ${day.edges.size} measured edges, ${day.faults.length} faults`
    );
    const all = new Set<number>();
    for (const table of day.services.values()) {
      for (const m of table.keys()) {
        all.add(m);
      }
    }
    const minutes = [...all].sort((a, b) => a - b);
    const levels = loadLevels(day, minutes);
    for (const fault of day.faults) {
      const id = caseId(dayName, fault);
      const windowMinutes: number[] = [];
      for (let m = minuteOf(fault.time - before); m <= fault.time + after; m += STEP) {
        windowMinutes.push(m);
      }
      const baselineMinutes = selectBaselineMinutes(day, minutes, levels, fault.time, windowMinutes, policy);
      const caseNotes: string[] = [];
      if (!day.services.has(fault.service)) {
        caseNotes.push(`the labelled service ${fault.service} has no metrics`);
      }
      if (baselineMinutes.length < policy.minSegmentMinutes) {
        caseNotes.push(`only ${baselineMinutes.length} baseline minutes found`);
      }
      const rootCase: RootCauseCase = {
        meta: {
          format: ROOT_CAUSE_CASE_FORMAT,
          id,
          system: day.system,
          step: STEP,
          alertTime: fault.time,
          services: [...day.services.keys()].sort(),
          serviceSignals: day.serviceSignals,
          edgeSignals: day.edgeSignals,
          label: { service: fault.service, type: fault.type, time: fault.time, entity: fault.pod },
          source: {
            dataset: 'nezha',
            day: dayName,
            converterVersion: NEZHA_CONVERTER_VERSION,
            baselineMinutes: baselineMinutes.length,
            baselineRange:
              baselineMinutes.length > 0 ? [baselineMinutes[0], baselineMinutes[baselineMinutes.length - 1]] : null,
          },
          notes: caseNotes,
        },
        graph: day.graph,
        window: period(day, windowMinutes),
        baseline: baselineMinutes.length > 0 ? period(day, baselineMinutes) : null,
      };
      const path = join(day.system, dayName, id);
      await writeRootCauseCase(join(options.outDir, path), rootCase);
      cases.push({
        id,
        path,
        system: day.system,
        day: dayName,
        label: { service: fault.service, type: fault.type, time: fault.time },
      });
    }
  }
  await mkdir(options.outDir, { recursive: true });
  await writeFile(
    join(options.outDir, 'index.json'),
    `${JSON.stringify({ format: ROOT_CAUSE_CASE_FORMAT, source: 'nezha', converterVersion: NEZHA_CONVERTER_VERSION, cases, notes }, null, 2)}\n`
  );
  return { cases, notes };
}
