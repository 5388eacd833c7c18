import type { TelemetryReading } from '../adapters/TelemetryReader.js';
import type { GridSeries } from './UnivariateBank.js';

/** Unix seconds of the newest observed point of a series; null when none. */
function newest(series: GridSeries): number | null {
  for (let i = series.missing.length - 1; i >= 0; i--) {
    if (!series.missing[i]) {
      return series.timestamps[i] as number;
    }
  }
  return null;
}

function latest(all: Iterable<GridSeries>): number | null {
  let best: number | null = null;
  for (const s of all) {
    const t = newest(s);
    if (t !== null && (best === null || t > best)) {
      best = t;
    }
  }
  return best;
}

/**
 * Services and edges a reading observed at least one point for, in any source, with the time of
 * their newest point: what counts as "seen" for discovery and expiry.
 */
export function observedEntities(reading: TelemetryReading): {
  services: Map<string, number>;
  edges: Map<string, { id: string; client: string; server: string; at: number }>;
} {
  const services = new Map<string, number>();
  const edges = new Map<string, { id: string; client: string; server: string; at: number }>();
  for (const source of reading.sources) {
    for (const [service, signals] of source.services) {
      const t = latest(signals.values());
      if (t !== null && t > (services.get(service) ?? Number.NEGATIVE_INFINITY)) {
        services.set(service, t);
      }
    }
    for (const [id, edge] of source.edges) {
      const t = latest(edge.signals.values());
      if (t !== null && t > (edges.get(id)?.at ?? Number.NEGATIVE_INFINITY)) {
        edges.set(id, { id, client: edge.client, server: edge.server, at: t });
      }
    }
  }
  return { services, edges };
}
