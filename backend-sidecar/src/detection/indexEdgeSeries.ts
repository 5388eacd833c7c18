import type { CrossCheckResult } from '../adapters/crossCheckEdges.js';
import type { TelemetryReading } from '../adapters/TelemetryReader.js';
import type { AlignedSeries } from '../signals/index.js';

/**
 * The series that represent each edge of a reading: from the source the cross-check chose for
 * it (edges seen by several sources are never mixed), else from the first source in preference
 * order that reported the edge at all (an edge without a request rate has no cross-check).
 */
export function indexEdgeSeries(
  reading: TelemetryReading,
  check: CrossCheckResult
): Map<string, ReadonlyMap<string, AlignedSeries>> {
  const out = new Map<string, ReadonlyMap<string, AlignedSeries>>();
  const sources = new Map(reading.sources.map((s) => [s.source, s]));
  for (const edge of check.edges) {
    const signals = sources.get(edge.chosen.source)?.edges.get(edge.id)?.signals;
    if (signals !== undefined) {
      out.set(edge.id, signals);
    }
  }
  for (const source of reading.sources) {
    for (const [id, edge] of source.edges) {
      if (!out.has(id)) {
        out.set(id, edge.signals);
      }
    }
  }
  return out;
}
