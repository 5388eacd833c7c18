import type { ServiceSignalChoice } from '../adapters/selectServiceSignals.js';
import type { CallGraph } from '../callgraph/types.js';
import type { AlignedSeries } from '../signals/index.js';
import type { ForecastCandidate } from './ForecastBank.js';
import { meanOfObserved } from './lastObserved.js';

/**
 * Forecast candidates of one reading: every configured signal of every monitored service and
 * edge that has a series, ranked by traffic (a service's mean request rate, an edge's mean rate),
 * with the series each target is fed from.
 */
export function forecastCandidates(
  signals: readonly string[],
  services: readonly string[],
  edges: readonly string[],
  choices: ReadonlyMap<string, ReadonlyMap<string, ServiceSignalChoice>>,
  edgeSeries: ReadonlyMap<string, ReadonlyMap<string, AlignedSeries>>,
  graph: CallGraph
): { candidates: ForecastCandidate[]; series: Map<string, AlignedSeries> } {
  const candidates: ForecastCandidate[] = [];
  const series = new Map<string, AlignedSeries>();
  for (const service of services) {
    const of = choices.get(service);
    const traffic = meanOfObserved(of?.get('request_rate')?.series) ?? 0;
    for (const signal of signals) {
      const s = of?.get(signal)?.series;
      if (s !== undefined) {
        candidates.push({ scope: 'service', entity: service, signal, traffic });
        series.set(`${service}:${signal}`, s);
      }
    }
  }
  const rates = new Map(graph.edges.map((e) => [e.id, e.meanRate]));
  for (const id of edges) {
    const of = edgeSeries.get(id);
    const traffic = rates.get(id) ?? meanOfObserved(of?.get('request_rate')) ?? 0;
    for (const signal of signals) {
      const s = of?.get(signal);
      if (s !== undefined) {
        candidates.push({ scope: 'edge', entity: id, signal, traffic });
        series.set(`${id}:${signal}`, s);
      }
    }
  }
  return { candidates, series };
}
