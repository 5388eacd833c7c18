import { Document, isScalar, visit } from 'yaml';
import type { Topology } from './types.js';

/**
 * Writes a topology in the shape loadTopology reads, so a generated topology can be saved,
 * edited and loaded again. Every service field is written out (no `defaults`), the most common
 * namespace goes on top and only differing services name their own. Small mappings (latency,
 * labels, calls, entrypoints) are written on one line to keep a thousand services readable.
 */
export function topologyToYaml(topology: Topology, options: { comment?: string } = {}): string {
  const counts = new Map<string, number>();
  for (const s of topology.services.values()) {
    counts.set(s.namespace, (counts.get(s.namespace) ?? 0) + 1);
  }
  const namespace = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'default';

  const services: Record<string, unknown> = {};
  for (const s of topology.services.values()) {
    const endpoints: Record<string, unknown> = {};
    for (const e of s.endpoints.values()) {
      endpoints[e.name] =
        e.calls.length === 0
          ? {}
          : {
              ...(e.parallel ? { parallel: true } : {}),
              calls: e.calls.map((c) => ({
                service: c.service,
                endpoint: c.endpoint,
                ...(c.probability !== 1 ? { probability: c.probability } : {}),
                ...(c.required === false ? { required: false } : {}),
              })),
            };
    }
    services[s.name] = {
      ...(s.namespace !== namespace ? { namespace: s.namespace } : {}),
      ...(Object.keys(s.labels).length > 0 ? { labels: s.labels } : {}),
      latency: { medianMs: s.latency.medianMs, p99Ms: s.latency.p99Ms },
      errorRate: s.errorRate,
      payloadBytes: s.payloadBytes,
      cpuMsPerRequest: s.cpuMsPerRequest,
      memoryBytes: s.memoryBytes,
      endpoints,
    };
  }

  const doc = new Document({
    name: topology.name,
    namespace,
    services,
    entrypoints: topology.entrypoints.map((e) => ({ service: e.service, endpoint: e.endpoint, weight: e.weight })),
  });
  visit(doc, {
    Map(_, node) {
      // Includes empty maps, so an endpoint without calls is written as {}.
      if (node.items.every((pair) => isScalar(pair.value))) {
        node.flow = true;
      }
    },
  });
  if (options.comment) {
    doc.commentBefore = options.comment
      .split('\n')
      .map((line) => ` ${line}`)
      .join('\n');
  }
  return doc.toString({ lineWidth: 0 });
}
