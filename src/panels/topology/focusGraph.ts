export interface FocusEdgeRef {
  source: string;
  target: string;
}

export interface FocusRequest {
  /** Where to start: the anomalous services, or one service the user picked. */
  seeds: readonly string[];
  /** Neighbours within this many calls, in either direction. */
  hops: number;
}

/**
 * The services within `hops` calls of any seed, whichever way the calls go (a fault's callers
 * and its callees both matter when looking at it). Seeds themselves are always kept.
 */
export function focusGraph(edges: readonly FocusEdgeRef[], request: FocusRequest): Set<string> {
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = neighbours.get(a);
    if (list) {
      list.push(b);
    } else {
      neighbours.set(a, [b]);
    }
  };
  for (const edge of edges) {
    link(edge.source, edge.target);
    link(edge.target, edge.source);
  }
  const kept = new Set(request.seeds);
  let frontier = [...request.seeds];
  for (let hop = 0; hop < request.hops && frontier.length > 0; hop++) {
    const following: string[] = [];
    for (const id of frontier) {
      for (const other of neighbours.get(id) ?? []) {
        if (!kept.has(other)) {
          kept.add(other);
          following.push(other);
        }
      }
    }
    frontier = following;
  }
  return kept;
}
