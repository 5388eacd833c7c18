import type { CallGraph, CallGraphEdge, CallGraphNode } from '../callgraph/types.js';
import type { CycleResult, EdgeStatus, ServiceStatus } from './CycleResult.js';

/**
 * How one field of a record is kept: numbers in a Float64Array (`number?`: with a null mask),
 * booleans in an Int8Array (`boolean?`: −1 for null), strings and string lists by reference
 * (lists shared between records with the same content), per-signal shares flattened, and
 * `empty` fields (per-signal detail a replay does not show) not at all.
 */
type FieldKind = 'number' | 'number?' | 'boolean' | 'boolean?' | 'string' | 'strings' | 'shares' | 'empty';

type Schema<T> = { readonly [K in keyof Required<T>]: FieldKind };

/*
 * The schemas name every field of their types (the compiler checks it), so a field added to a
 * status or to the call graph must be given a kind here before the code builds.
 */
const SCORE_FIELDS = {
  state: 'string',
  detector: 'string',
  reasons: 'strings',
  score: 'number?',
  threshold: 'number?',
  anomalous: 'boolean?',
  error: 'number?',
  contributions: 'shares',
  modelId: 'string',
  perEntityModel: 'boolean',
  baselineSource: 'string',
  modelDataSource: 'string',
  signals: 'empty',
} as const;

const SERVICE_SCHEMA: Schema<ServiceStatus> = {
  ...SCORE_FIELDS,
  service: 'string',
  namespace: 'string',
  team: 'string',
  verdict: 'string',
  trust: 'number',
  onset: 'number?',
  accumulator: 'number',
  lastSeen: 'number',
  readings: 'empty',
  requestRate: 'number?',
};

const EDGE_SCHEMA: Schema<EdgeStatus> = {
  ...SCORE_FIELDS,
  id: 'string',
  client: 'string',
  server: 'string',
  verdict: 'string',
  trust: 'number',
  onset: 'number?',
  accumulator: 'number',
  requestRate: 'number?',
  errorRatio: 'number?',
  latencyP95: 'number?',
  sources: 'strings',
  agreement: 'string',
  chosenSource: 'string',
  rateDisagreement: 'number?',
  lastSeen: 'number',
};

const NODE_SCHEMA: Schema<CallGraphNode> = {
  id: 'string',
  kind: 'string',
  isClient: 'boolean',
  isServer: 'boolean',
  hasServiceSignals: 'boolean',
  inDegree: 'number',
  outDegree: 'number',
};

const GRAPH_EDGE_SCHEMA: Schema<CallGraphEdge> = {
  id: 'string',
  client: 'string',
  server: 'string',
  fromOutside: 'boolean',
  source: 'string',
  sourceReason: 'string',
  sources: 'strings',
  agreement: 'string',
  rate: 'number?',
  meanRate: 'number',
  errorRatio: 'number?',
  meanErrorRatio: 'number?',
  latencyP95: 'number?',
};

const EMPTY: readonly never[] = Object.freeze([]);
/** Distinct string lists shared at most; past it the table starts over (lists repeat: reasons, sources). */
const MAX_SHARED_LISTS = 4096;

/** Shares equal string lists (reasons, sources) between records and cycles. */
export class StringListTable {
  readonly #lists = new Map<string, readonly string[]>();

  share(list: readonly string[]): readonly string[] {
    if (list.length === 0) {
      return EMPTY;
    }
    const key = list.join('\u0000');
    let shared = this.#lists.get(key);
    if (shared === undefined) {
      if (this.#lists.size >= MAX_SHARED_LISTS) {
        this.#lists.clear();
      }
      shared = Object.freeze([...list]);
      this.#lists.set(key, shared);
    }
    return shared;
  }
}

type Column =
  | { readonly kind: 'number'; readonly values: Float64Array }
  | { readonly kind: 'number?'; readonly values: Float64Array; readonly isNull: Uint8Array }
  | { readonly kind: 'boolean' | 'boolean?'; readonly values: Int8Array }
  | { readonly kind: 'string' | 'strings'; readonly values: unknown[] }
  | {
      readonly kind: 'shares';
      /** Record i's shares are the entries starts[i] to starts[i + 1] (none, and null, where isNull). */
      readonly starts: Uint32Array;
      readonly isNull: Uint8Array;
      readonly keys: string[];
      readonly values: Float64Array;
    }
  | { readonly kind: 'empty' };

/** Records of one type as columns, one per schema field. */
class RecordColumns<T extends object> {
  readonly length: number;
  readonly #schema: Schema<T>;
  readonly #columns = new Map<string, Column>();

  constructor(schema: Schema<T>, records: readonly T[], lists: StringListTable) {
    this.#schema = schema;
    const n = records.length;
    this.length = n;
    for (const [name, kind] of Object.entries(schema) as Array<[string, FieldKind]>) {
      const get = (i: number): unknown => (records[i] as Record<string, unknown>)[name];
      this.#columns.set(name, encode(kind, n, get, lists));
    }
  }

  /** Record i as a plain object with every schema field. */
  record(i: number): T {
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(this.#schema)) {
      out[name] = decode(this.#columns.get(name) as Column, i);
    }
    return out as T;
  }
}

function encode(kind: FieldKind, n: number, get: (i: number) => unknown, lists: StringListTable): Column {
  switch (kind) {
    case 'number': {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        values[i] = get(i) as number;
      }
      return { kind, values };
    }
    case 'number?': {
      const values = new Float64Array(n);
      const isNull = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = get(i);
        if (typeof v === 'number') {
          values[i] = v;
        } else {
          isNull[i] = 1;
        }
      }
      return { kind, values, isNull };
    }
    case 'boolean':
    case 'boolean?': {
      const values = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const v = get(i);
        values[i] = v === true ? 1 : v === false ? 0 : -1;
      }
      return { kind, values };
    }
    case 'string':
      return { kind, values: Array.from({ length: n }, (_, i) => get(i) ?? null) };
    case 'strings':
      return { kind, values: Array.from({ length: n }, (_, i) => lists.share((get(i) as readonly string[]) ?? EMPTY)) };
    case 'shares': {
      const starts = new Uint32Array(n + 1);
      const isNull = new Uint8Array(n);
      const keys: string[] = [];
      const values: number[] = [];
      for (let i = 0; i < n; i++) {
        starts[i] = keys.length;
        const shares = get(i) as Readonly<Record<string, number>> | null;
        if (shares === null || shares === undefined) {
          isNull[i] = 1;
          continue;
        }
        for (const [key, share] of Object.entries(shares)) {
          keys.push(key);
          values.push(share);
        }
      }
      starts[n] = keys.length;
      return { kind, starts, isNull, keys, values: Float64Array.from(values) };
    }
    case 'empty':
      return { kind };
  }
}

function decode(column: Column, i: number): unknown {
  switch (column.kind) {
    case 'number':
      return column.values[i];
    case 'number?':
      return column.isNull[i] === 1 ? null : column.values[i];
    case 'boolean':
      return column.values[i] === 1;
    case 'boolean?':
      return column.values[i] === -1 ? null : column.values[i] === 1;
    case 'string':
    case 'strings':
      return column.values[i];
    case 'shares': {
      if (column.isNull[i] === 1) {
        return null;
      }
      const out: Record<string, number> = {};
      for (let k = column.starts[i]!; k < column.starts[i + 1]!; k++) {
        out[column.keys[k]!] = column.values[k]!;
      }
      return out;
    }
    case 'empty':
      return EMPTY;
  }
}

/**
 * One cycle's result as kept for replay (`/api/v1/topology?at=`) once a newer cycle exists:
 * its services, edges and call graph as columns (numbers in typed arrays, strings by reference)
 * instead of an object per record, which in a mesh of 10,000 services is the difference between
 * about 1.5 KB and 0.2 KB per service or edge, and between hundreds of thousands of long-lived
 * objects for the garbage collector to trace and a few dozen arrays. `toCycleResult()` gives the
 * cycle back with every field the replay shows; per-signal detail (the univariate judgements
 * and a service's latest readings) is only in the newest cycle and comes back empty.
 */
export class CompactCycle {
  readonly at: number;
  /** Services and edges held (what the history's entity bound counts). */
  readonly entities: number;
  readonly #rest: Omit<CycleResult, 'services' | 'edges' | 'graph'>;
  readonly #services: RecordColumns<ServiceStatus>;
  readonly #edges: RecordColumns<EdgeStatus>;
  readonly #nodes: RecordColumns<CallGraphNode>;
  readonly #graphEdges: RecordColumns<CallGraphEdge>;
  readonly #graph: Pick<CallGraph, 'at' | 'idleEdges'>;

  constructor(cycle: CycleResult, lists: StringListTable) {
    const { services, edges, graph, ...rest } = cycle;
    this.at = cycle.at;
    this.entities = services.size + edges.size;
    this.#rest = rest;
    this.#services = new RecordColumns(SERVICE_SCHEMA, [...services.values()], lists);
    this.#edges = new RecordColumns(EDGE_SCHEMA, [...edges.values()], lists);
    this.#nodes = new RecordColumns(NODE_SCHEMA, graph.nodes, lists);
    this.#graphEdges = new RecordColumns(GRAPH_EDGE_SCHEMA, graph.edges, lists);
    this.#graph = { at: graph.at, idleEdges: graph.idleEdges };
  }

  toCycleResult(): CycleResult {
    const services = new Map<string, ServiceStatus>();
    for (let i = 0; i < this.#services.length; i++) {
      const s = this.#services.record(i);
      services.set(s.service, s);
    }
    const edges = new Map<string, EdgeStatus>();
    for (let i = 0; i < this.#edges.length; i++) {
      const e = this.#edges.record(i);
      edges.set(e.id, e);
    }
    const nodes = Array.from({ length: this.#nodes.length }, (_, i) => this.#nodes.record(i));
    const graphEdges = Array.from({ length: this.#graphEdges.length }, (_, i) => this.#graphEdges.record(i));
    return {
      ...this.#rest,
      services,
      edges,
      graph: { at: this.#graph.at, nodes, edges: graphEdges, idleEdges: this.#graph.idleEdges },
    };
  }
}
