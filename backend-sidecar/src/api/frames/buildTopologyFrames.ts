import type { CycleResult, EdgeStatus, ServiceStatus } from '../../detection/CycleResult.js';
import { dataFrame, ms, type DataFrame } from './dataFrame.js';
import { seismoColor } from './seismoColor.js';

export interface TopologyFocus {
  /** Keep nodes within `hops` of this service (either direction). */
  readonly service?: string;
  readonly hops?: number;
  /** Keep anomalous nodes (and both ends of anomalous edges) and their neighbours within `hops` (default 1). */
  readonly anomalousOnly?: boolean;
}

function topSignals(contributions: Readonly<Record<string, number>> | null): string {
  if (contributions === null) {
    return '';
  }
  return Object.entries(contributions)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 3)
    .map(([signal, share]) => `${signal} ${Math.round(share * 100)}%`)
    .join(', ');
}

/** 1–8, growing with the log of the request rate (10 req/s → 3, 100 req/s → 4, 10,000 req/s → 7). */
export function edgeThickness(rate: number | null): number {
  if (rate === null || !(rate > 0)) {
    return 1;
  }
  return Math.max(1, Math.min(8, Math.round(1 + Math.log10(1 + rate) * 1.5)));
}

/** Nodes of anomalous services and both ends of anomalous edges. */
function anomalousNodes(cycle: CycleResult): Set<string> {
  const out = new Set<string>();
  for (const s of cycle.services.values()) {
    if (s.verdict === 'anomalous') {
      out.add(s.service);
    }
  }
  for (const e of cycle.edges.values()) {
    if (e.verdict === 'anomalous') {
      out.add(e.client);
      out.add(e.server);
    }
  }
  return out;
}

/**
 * Node ids kept by a focus (null: all). `service`: nodes within `hops` of it (any direction).
 * `anomalousOnly`: anomalous nodes and their neighbours within `hops` (default 1); with a
 * service as well, only the anomalous nodes within reach of that service.
 */
function focusNodes(cycle: CycleResult, focus: TopologyFocus): Set<string> | null {
  const anomalousOnly = focus.anomalousOnly === true;
  if (focus.service === undefined && !anomalousOnly) {
    return null;
  }
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    let set = neighbours.get(a);
    if (set === undefined) {
      set = new Set();
      neighbours.set(a, set);
    }
    set.add(b);
  };
  for (const e of cycle.graph.edges) {
    link(e.client, e.server);
    link(e.server, e.client);
  }
  if (!anomalousOnly) {
    return bfs(new Set([focus.service as string]), neighbours, focus.hops ?? Number.POSITIVE_INFINITY);
  }
  let seeds = anomalousNodes(cycle);
  if (focus.service === undefined) {
    return bfs(seeds, neighbours, focus.hops ?? 1);
  }
  const reach = bfs(new Set([focus.service]), neighbours, focus.hops ?? Number.POSITIVE_INFINITY);
  seeds = new Set([...seeds].filter((n) => reach.has(n)));
  const kept = new Set([...bfs(seeds, neighbours, 1)].filter((n) => reach.has(n)));
  kept.add(focus.service);
  return kept;
}

function bfs(seeds: ReadonlySet<string>, neighbours: ReadonlyMap<string, Set<string>>, hops: number): Set<string> {
  const seen = new Set(seeds);
  let frontier = [...seeds];
  for (let h = 0; h < hops && frontier.length > 0; h++) {
    const next: string[] = [];
    for (const n of frontier) {
      for (const m of neighbours.get(n) ?? []) {
        if (!seen.has(m)) {
          seen.add(m);
          next.push(m);
        }
      }
    }
    frontier = next;
  }
  return seen;
}

/**
 * The `nodes` and `edges` frames of docs/frames.md (topology) for one cycle: Grafana Node Graph
 * field names plus Seismo's fields, with the root-cause ranking of the open incident.
 */
export function buildTopologyFrames(cycle: CycleResult, focus: TopologyFocus = {}): DataFrame[] {
  const keep = focusNodes(cycle, focus);
  const ranking = cycle.incident !== null && cycle.ranking?.incidentId === cycle.incident.id ? cycle.ranking : null;
  const ranks = new Map((ranking?.candidates ?? []).filter((c) => c.score > 0).map((c) => [c.service, c]));
  const nodes = cycle.graph.nodes.filter((n) => keep === null || keep.has(n.id));
  const services = nodes.map((n) => cycle.services.get(n.id) ?? null);
  const edges = cycle.graph.edges
    .filter((e) => keep === null || (keep.has(e.client) && keep.has(e.server)))
    .map((e) => ({ graph: e, status: cycle.edges.get(e.id) ?? null }));

  const stateOf = (s: ServiceStatus | EdgeStatus | null): string => s?.state ?? 'unknown';
  const scoreOf = (s: ServiceStatus | EdgeStatus | null): number | null => s?.score ?? null;
  const counts: Record<string, number> = {};
  for (const s of services) {
    counts[stateOf(s)] = (counts[stateOf(s)] ?? 0) + 1;
  }
  const scoreConfig = { displayName: 'score', unit: 'percentunit', min: 0, max: 1 };
  const nodeFrame = dataFrame(
    'nodes',
    [
      { name: 'id', type: 'string', values: nodes.map((n) => n.id) },
      { name: 'title', type: 'string', values: nodes.map((n) => n.id) },
      { name: 'subtitle', type: 'string', values: services.map((s) => s?.namespace ?? '') },
      { name: 'mainstat', type: 'number', values: services.map(scoreOf), config: scoreConfig },
      {
        name: 'secondarystat',
        type: 'number',
        values: services.map((s) => s?.requestRate ?? null),
        config: { displayName: 'requests', unit: 'reqps' },
      },
      {
        name: 'arc__anomalous',
        type: 'number',
        values: services.map((s) => (scoreOf(s) === null ? 0 : (s?.score as number))),
        config: { color: { mode: 'fixed', fixedColor: '#E02F44' } },
      },
      {
        name: 'arc__normal',
        type: 'number',
        values: services.map((s) => (scoreOf(s) === null ? 0 : 1 - (s?.score as number))),
        config: { color: { mode: 'fixed', fixedColor: '#73BF69' } },
      },
      {
        name: 'arc__unknown',
        type: 'number',
        values: services.map((s) => (scoreOf(s) === null ? 1 : 0)),
        config: { color: { mode: 'fixed', fixedColor: '#8E8E8E' } },
      },
      {
        name: 'color',
        type: 'string',
        values: services.map((s) => seismoColor(stateOf(s), scoreOf(s), s?.anomalous ?? null)),
      },
      { name: 'detail__state', type: 'string', values: services.map(stateOf), config: { displayName: 'state' } },
      {
        name: 'detail__detector',
        type: 'string',
        values: services.map((s) => s?.detector ?? ''),
        config: { displayName: 'detector' },
      },
      {
        name: 'detail__top_signals',
        type: 'string',
        values: services.map((s) => topSignals(s?.contributions ?? null)),
        config: { displayName: 'top signals' },
      },
      { name: 'kind', type: 'string', values: nodes.map((n) => n.kind) },
      { name: 'score', type: 'number', values: services.map(scoreOf), config: { unit: 'percentunit', min: 0, max: 1 } },
      { name: 'threshold', type: 'number', values: services.map((s) => s?.threshold ?? null) },
      { name: 'state', type: 'string', values: services.map(stateOf) },
      { name: 'anomalous', type: 'boolean', values: services.map((s) => s?.anomalous ?? null) },
      { name: 'onset', type: 'time', values: services.map((s) => ms(s?.onset)) },
      { name: 'rank', type: 'number', values: nodes.map((n) => ranks.get(n.id)?.rank ?? null) },
      { name: 'rootcause_score', type: 'number', values: nodes.map((n) => ranks.get(n.id)?.score ?? null) },
      { name: 'contributions', type: 'other', values: services.map((s) => s?.contributions ?? null) },
      { name: 'namespace', type: 'string', values: services.map((s) => s?.namespace ?? '') },
      { name: 'team', type: 'string', values: services.map((s) => s?.team ?? '') },
    ],
    {
      preferredVisualisationType: 'nodeGraph',
      custom: {
        at: ms(cycle.at),
        incidentId: cycle.incident !== null && cycle.incident.closedAt === null ? cycle.incident.id : null,
        rootCause: (ranking?.candidates ?? []).filter((c) => c.score > 0).map((c) => c.service),
        states: counts,
      },
    }
  );
  const edgeFrame = dataFrame('edges', [
    { name: 'id', type: 'string', values: edges.map((e) => e.graph.id) },
    { name: 'source', type: 'string', values: edges.map((e) => e.graph.client) },
    { name: 'target', type: 'string', values: edges.map((e) => e.graph.server) },
    {
      name: 'mainstat',
      type: 'number',
      values: edges.map((e) => e.status?.latencyP95 ?? e.graph.latencyP95),
      config: { displayName: 'p95', unit: 's' },
    },
    {
      name: 'secondarystat',
      type: 'number',
      values: edges.map((e) => e.status?.requestRate ?? e.graph.rate),
      config: { displayName: 'requests', unit: 'reqps' },
    },
    {
      name: 'thickness',
      type: 'number',
      values: edges.map((e) => edgeThickness(e.status?.requestRate ?? e.graph.rate)),
    },
    {
      name: 'color',
      type: 'string',
      values: edges.map((e) => seismoColor(stateOf(e.status), scoreOf(e.status), e.status?.anomalous ?? null)),
    },
    {
      name: 'detail__error_ratio',
      type: 'number',
      values: edges.map((e) => e.status?.errorRatio ?? e.graph.errorRatio),
      config: { displayName: 'errors', unit: 'percentunit' },
    },
    {
      name: 'detail__sources',
      type: 'string',
      values: edges.map(
        (e) => `${(e.status?.sources ?? e.graph.sources).join(', ')} (${e.status?.agreement ?? e.graph.agreement})`
      ),
      config: { displayName: 'sources' },
    },
    { name: 'score', type: 'number', values: edges.map((e) => scoreOf(e.status)) },
    { name: 'state', type: 'string', values: edges.map((e) => stateOf(e.status)) },
    { name: 'anomalous', type: 'boolean', values: edges.map((e) => e.status?.anomalous ?? null) },
    { name: 'onset', type: 'time', values: edges.map((e) => ms(e.status?.onset)) },
    { name: 'request_rate', type: 'number', values: edges.map((e) => e.status?.requestRate ?? e.graph.rate) },
    { name: 'error_ratio', type: 'number', values: edges.map((e) => e.status?.errorRatio ?? e.graph.errorRatio) },
    { name: 'latency_p95', type: 'number', values: edges.map((e) => e.status?.latencyP95 ?? e.graph.latencyP95) },
    { name: 'contributions', type: 'other', values: edges.map((e) => e.status?.contributions ?? null) },
  ]);
  return [nodeFrame, edgeFrame];
}
