import type { CallGraph } from '../callgraph/types.js';
import { splitEdgeEntityId } from '../incidents/edgeEntityId.js';

/**
 * The services a ranking looks at: the affected services and both ends of affected edges, then
 * their call-graph neighbours breadth-first (either direction, nearest first, names breaking
 * ties), up to `max`. Ranking cost then stays bounded in a mesh of thousands of services while
 * everything that can explain the affected entities within a few hops is included. Without
 * affected entities, every service node (up to `max`).
 */
export function selectRankedServices(graph: CallGraph, affected: readonly string[], max: number): string[] {
  const services = new Set(graph.nodes.filter((n) => n.kind === 'service').map((n) => n.id));
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    let set = neighbours.get(a);
    if (set === undefined) {
      set = new Set();
      neighbours.set(a, set);
    }
    set.add(b);
  };
  for (const e of graph.edges) {
    if (services.has(e.client) && services.has(e.server)) {
      link(e.client, e.server);
      link(e.server, e.client);
    }
  }
  const seeds = new Set<string>();
  for (const entity of affected) {
    const edge = splitEdgeEntityId(entity);
    for (const name of edge === null ? [entity] : [edge.client, edge.server]) {
      if (services.has(name)) {
        seeds.add(name);
      }
    }
  }
  if (seeds.size === 0) {
    return [...services].sort().slice(0, max);
  }
  const picked: string[] = [];
  const seen = new Set<string>();
  let frontier = [...seeds].sort();
  while (frontier.length > 0 && picked.length < max) {
    const next = new Set<string>();
    for (const s of frontier) {
      if (seen.has(s)) {
        continue;
      }
      seen.add(s);
      picked.push(s);
      if (picked.length >= max) {
        break;
      }
      for (const n of neighbours.get(s) ?? []) {
        if (!seen.has(n)) {
          next.add(n);
        }
      }
    }
    frontier = [...next].sort();
  }
  return picked;
}
