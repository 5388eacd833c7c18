import { crossCheckEdges, type CrossCheckOptions, type CrossCheckResult } from '../adapters/crossCheckEdges.js';
import type { TelemetryReading } from '../adapters/TelemetryReader.js';
import type { AlignedSeries } from '../signals/index.js';
import type { CallGraph, CallGraphEdge, CallGraphNode, NodeKind } from './types.js';
import { meanObserved } from '../signals/meanObserved.js';

export interface BuildCallGraphOptions {
  /** Callers that are known but not mesh services, e.g. "loadgenerator" or an ingress. */
  readonly externalClients?: readonly string[];
  /** Names the telemetry uses for a side it could not identify. Default: "unknown", "user", "". */
  readonly unknownNames?: readonly string[];
  /** An edge needs a mean rate above this (requests/second) to be in the graph. Default 0. */
  readonly minRate?: number;
  /** Keep edges whose caller is external or unknown. Default true. */
  readonly includeOutside?: boolean;
  /** The cross-check to take per-edge sources from; computed with `crossCheck` options when absent. */
  readonly crossCheckResult?: CrossCheckResult;
  readonly crossCheck?: CrossCheckOptions;
}

const DEFAULT_UNKNOWN = ['unknown', 'user', ''];

/**
 * The call graph of one cycle: nodes are services (plus explicit external and unknown callers),
 * edges are client→server pairs that carried traffic in the read range. Each edge's numbers come
 * from the one source the cross-check chose for it, so an edge reported by Istio and OBI appears
 * once. Services that only call, only get called, or only have service signals are all nodes.
 */
export function buildCallGraph(reading: TelemetryReading, options: BuildCallGraphOptions = {}): CallGraph {
  const check = options.crossCheckResult ?? crossCheckEdges(reading, options.crossCheck);
  const external = new Set(options.externalClients ?? []);
  const unknown = new Set(options.unknownNames ?? DEFAULT_UNKNOWN);
  const minRate = options.minRate ?? 0;
  const includeOutside = options.includeOutside ?? true;
  const bySource = new Map(reading.sources.map((s) => [s.source, s]));
  const kindOf = (name: string): NodeKind =>
    unknown.has(name) ? 'unknown' : external.has(name) ? 'external' : 'service';

  const edges: CallGraphEdge[] = [];
  const idle: string[] = [];
  for (const entry of check.edges) {
    const fromOutside = kindOf(entry.client) !== 'service';
    if (fromOutside && !includeOutside) {
      continue;
    }
    const signals = bySource.get(entry.chosen.source)?.edges.get(entry.id)?.signals;
    const rate = signals?.get('request_rate');
    const meanRate = meanObserved(rate) ?? 0;
    if (!(meanRate > minRate)) {
      idle.push(entry.id);
      continue;
    }
    edges.push({
      id: entry.id,
      client: entry.client,
      server: entry.server,
      fromOutside,
      source: entry.chosen.source,
      sourceReason: entry.chosen.reason,
      sources: entry.sources.map((s) => s.source),
      agreement: entry.status,
      rate: last(rate),
      meanRate,
      errorRatio: last(signals?.get('error_ratio')),
      meanErrorRatio: meanObserved(signals?.get('error_ratio')),
      latencyP95: last(signals?.get('latency_p95')),
    });
  }

  const withSignals = new Set(reading.sources.flatMap((s) => [...s.services.keys()]));
  const names = new Set<string>([...withSignals, ...edges.flatMap((e) => [e.client, e.server])]);
  // Degrees counted in one pass: a mesh of thousands of services must not cost nodes × edges.
  const inDegree = new Map<string, number>();
  const outDegree = new Map<string, number>();
  for (const e of edges) {
    inDegree.set(e.server, (inDegree.get(e.server) ?? 0) + 1);
    outDegree.set(e.client, (outDegree.get(e.client) ?? 0) + 1);
  }
  const nodes: CallGraphNode[] = [...names].sort().map((id) => ({
    id,
    kind: kindOf(id),
    isClient: (outDegree.get(id) ?? 0) > 0,
    isServer: (inDegree.get(id) ?? 0) > 0,
    hasServiceSignals: withSignals.has(id),
    inDegree: inDegree.get(id) ?? 0,
    outDegree: outDegree.get(id) ?? 0,
  }));
  return { at: reading.grid.end, nodes, edges, idleEdges: idle.sort() };
}

function last(series: AlignedSeries | undefined): number | null {
  if (series === undefined) {
    return null;
  }
  for (let i = series.values.length - 1; i >= 0; i--) {
    if (!series.missing[i]) {
      return series.values[i] as number;
    }
  }
  return null;
}
