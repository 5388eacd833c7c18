import type { BlastDirection } from './types';

export interface CallEdgeRef {
  id: string;
  /** The caller. */
  source: string;
  /** The callee. */
  target: string;
}

export interface BlastRadius {
  /** The start and every service reached, with its distance in calls. */
  nodes: Map<string, number>;
  /** Edges on the way. */
  edges: Set<string>;
}

/**
 * What a fault in `start` can reach. Latency and errors travel against the call direction: a
 * slow or failing callee makes every caller that waits for it slow or failing, and their callers
 * in turn, so `callers` (the default) walks from callee to caller up to the entry points. A
 * traffic change travels with the call direction instead (a broken caller stops calling its
 * callees), which `callees` shows. Cycles are walked once.
 */
export function blastRadius(edges: readonly CallEdgeRef[], start: string, direction: BlastDirection): BlastRadius {
  const next = new Map<string, CallEdgeRef[]>();
  for (const edge of edges) {
    const from = direction === 'callers' ? edge.target : edge.source;
    const list = next.get(from);
    if (list) {
      list.push(edge);
    } else {
      next.set(from, [edge]);
    }
  }
  const nodes = new Map<string, number>([[start, 0]]);
  const reached = new Set<string>();
  let frontier = [start];
  for (let distance = 1; frontier.length > 0; distance++) {
    const following: string[] = [];
    for (const id of frontier) {
      for (const edge of next.get(id) ?? []) {
        reached.add(edge.id);
        const other = direction === 'callers' ? edge.source : edge.target;
        if (!nodes.has(other)) {
          nodes.set(other, distance);
          following.push(other);
        }
      }
    }
    frontier = following;
  }
  return { nodes, edges: reached };
}
