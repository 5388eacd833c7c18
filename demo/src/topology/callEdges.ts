import type { Edge, Topology } from './types.js';

/**
 * Every distinct client -> server edge of the topology: calls between services, plus
 * `externalClient` -> each entrypoint service when given (the load generator's edges).
 */
export function callEdges(topology: Topology, externalClient?: string): Edge[] {
  const seen = new Set<string>();
  const edges: Edge[] = [];
  const add = (client: string, server: string): void => {
    const key = `${client}\u0000${server}`;
    if (!seen.has(key)) {
      seen.add(key);
      edges.push({ client, server });
    }
  };
  if (externalClient !== undefined) {
    for (const entry of topology.entrypoints) {
      add(externalClient, entry.service);
    }
  }
  for (const service of topology.services.values()) {
    for (const endpoint of service.endpoints.values()) {
      for (const call of endpoint.calls) {
        add(service.name, call.service);
      }
    }
  }
  return edges;
}
