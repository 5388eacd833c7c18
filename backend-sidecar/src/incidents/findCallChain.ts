import { splitEdgeEntityId } from './edgeEntityId.js';
import type { CallEdge } from './types.js';

/**
 * Decides whether affected entities (services and/or "client->server" edges) lie on one
 * caller→callee chain of the call graph, and returns that chain's services in call order.
 *
 * The rule: the services involved (affected services plus both ends of affected edges) must be
 * totally ordered by "calls, directly or through others", and every affected edge must join two
 * neighbours of that order. Unaffected services may sit between affected ones (a slow leaf
 * slows every caller above it, whether or not each of them crossed its threshold).
 *
 * Anything ambiguous answers null, which means "count them separately" and so errs towards
 * the higher severity: services that are not in the graph, edges that are not in the graph,
 * two services that can each reach the other (a cycle), or two that cannot reach each other.
 */
export function findCallChain(entities: readonly string[], callGraph: readonly CallEdge[]): string[] | null {
  const adjacency = new Map<string, Set<string>>();
  for (const { client, server } of callGraph) {
    if (client === server) {
      continue;
    }
    if (!adjacency.has(client)) {
      adjacency.set(client, new Set());
    }
    if (!adjacency.has(server)) {
      adjacency.set(server, new Set());
    }
    adjacency.get(client)?.add(server);
  }

  const nodes = new Set<string>();
  const requiredEdges: Array<[string, string]> = [];
  for (const entity of entities) {
    const edge = splitEdgeEntityId(entity);
    if (edge === null) {
      if (!adjacency.has(entity)) {
        return null;
      }
      nodes.add(entity);
    } else {
      if (!adjacency.get(edge.client)?.has(edge.server)) {
        return null;
      }
      nodes.add(edge.client);
      nodes.add(edge.server);
      requiredEdges.push([edge.client, edge.server]);
    }
  }
  if (nodes.size === 0) {
    return null;
  }

  const reach = new Map<string, Set<string>>();
  for (const start of nodes) {
    const seen = new Set<string>();
    const queue = [...(adjacency.get(start) ?? [])];
    while (queue.length > 0) {
      const next = queue.pop() as string;
      if (seen.has(next)) {
        continue;
      }
      seen.add(next);
      for (const n of adjacency.get(next) ?? []) {
        queue.push(n);
      }
    }
    reach.set(start, seen);
  }

  const list = [...nodes];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i] as string;
      const b = list[j] as string;
      const forward = reach.get(a)?.has(b) ?? false;
      const backward = reach.get(b)?.has(a) ?? false;
      if (forward === backward) {
        return null;
      }
    }
  }

  // In a strict total order the first service reaches all others, the second all but one, ...
  const reachableCount = (n: string): number => list.filter((m) => m !== n && reach.get(n)?.has(m)).length;
  const ordered = [...list].sort((a, b) => reachableCount(b) - reachableCount(a));
  const position = new Map(ordered.map((n, i) => [n, i]));
  for (const [client, server] of requiredEdges) {
    if ((position.get(server) ?? -1) !== (position.get(client) ?? -2) + 1) {
      return null;
    }
  }
  return ordered;
}
