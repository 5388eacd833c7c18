import type { CallGraph } from '../callgraph/types.js';

/**
 * The part of a cycle's call graph this replica monitors: its monitored edges, its monitored
 * services, and the other ends of its edges (callers outside the mesh, services of other
 * shards) so every edge has both nodes.
 */
export function filterCallGraph(
  graph: CallGraph,
  services: ReadonlySet<string>,
  edges: ReadonlySet<string>
): CallGraph {
  const kept = graph.edges.filter((e) => edges.has(e.id));
  const names = new Set<string>(services);
  for (const e of kept) {
    names.add(e.client);
    names.add(e.server);
  }
  const inDegree = new Map<string, number>();
  const outDegree = new Map<string, number>();
  for (const e of kept) {
    inDegree.set(e.server, (inDegree.get(e.server) ?? 0) + 1);
    outDegree.set(e.client, (outDegree.get(e.client) ?? 0) + 1);
  }
  const known = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes = [...names].sort().map((id) => {
    const n = known.get(id);
    return {
      id,
      kind: n?.kind ?? ('service' as const),
      isClient: (outDegree.get(id) ?? 0) > 0,
      isServer: (inDegree.get(id) ?? 0) > 0,
      hasServiceSignals: n?.hasServiceSignals ?? false,
      inDegree: inDegree.get(id) ?? 0,
      outDegree: outDegree.get(id) ?? 0,
    };
  });
  return {
    at: graph.at,
    nodes,
    edges: kept,
    idleEdges: graph.idleEdges.filter((id) => edges.has(id)),
  };
}
