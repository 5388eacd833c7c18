/**
 * Entity ids for call edges: "client->server". Service names in Kubernetes are DNS labels,
 * which cannot contain ">", so the first "->" unambiguously separates the two names.
 */
export function edgeEntityId(client: string, server: string): string {
  return `${client}->${server}`;
}

/** The client and server of an edge id, or null when the id names a service. */
export function splitEdgeEntityId(id: string): { client: string; server: string } | null {
  const at = id.indexOf('->');
  if (at <= 0 || at + 2 >= id.length) {
    return null;
  }
  return { client: id.slice(0, at), server: id.slice(at + 2) };
}
