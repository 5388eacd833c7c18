import type { IntervalState } from '../incidents/types.js';

/**
 * Services whose points must not be learned as normal this cycle: those judged anomalous, and
 * both ends of every call edge judged anomalous (a slow callee shows on the edge first).
 */
export function anomalousServices(
  verdicts: Readonly<Record<string, IntervalState>>,
  edges: ReadonlyMap<string, { extra: { client: string; server: string } }>
): Set<string> {
  const out = new Set<string>();
  for (const [id, verdict] of Object.entries(verdicts)) {
    if (verdict !== 'anomalous') {
      continue;
    }
    const edge = edges.get(id);
    if (edge === undefined) {
      out.add(id);
    } else {
      out.add(edge.extra.client);
      out.add(edge.extra.server);
    }
  }
  return out;
}
