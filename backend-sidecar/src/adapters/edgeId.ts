/**
 * Id of a call edge, "client->server": the same form the incident engine uses for edge entities,
 * so ids can be passed between them unchanged.
 */
export function edgeId(client: string, server: string): string {
  return `${client}->${server}`;
}
