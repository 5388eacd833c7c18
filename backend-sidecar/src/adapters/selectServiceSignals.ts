import type { AlignedSeries } from '../signals/index.js';
import { preferenceOrder } from './preferenceOrder.js';
import type { TelemetryReading } from './TelemetryReader.js';

export interface ServiceSignalChoice {
  readonly service: string;
  readonly signal: string;
  readonly source: string;
  readonly reason: string;
  /** Other sources that also had this signal for this service. */
  readonly alternatives: readonly string[];
  readonly series: AlignedSeries;
}

export interface SelectServiceSignalsOptions {
  /** Sources in order of preference. Default: the reading's order. */
  readonly preference?: readonly string[];
  /**
   * A preferred source whose series covers less than this share of the range yields to one that
   * covers more. Default 0.5.
   */
  readonly minObservedFraction?: number;
}

/**
 * Picks, for every service and canonical service signal, the one source whose series is used
 * downstream (detectors, baselines), and says why. Several sources are never averaged or summed:
 * Istio and OBI measure the same requests at different points, and mixing them would blur both.
 * Extra (non-canonical) signals are not selected here; they stay available per source.
 */
export function selectServiceSignals(
  reading: TelemetryReading,
  options: SelectServiceSignalsOptions = {}
): Map<string, Map<string, ServiceSignalChoice>> {
  const minObserved = options.minObservedFraction ?? 0.5;
  const order = preferenceOrder(reading, options.preference);
  const canonical = new Map<string, Set<string>>();
  for (const source of order) {
    canonical.set(
      source.source,
      new Set(source.coverage.signals.filter((c) => c.scope === 'service' && c.canonical).map((c) => c.signal))
    );
  }
  const out = new Map<string, Map<string, ServiceSignalChoice>>();
  const services = new Set(order.flatMap((s) => [...s.services.keys()]));
  for (const service of [...services].sort()) {
    const signals = new Set(
      order.flatMap((s) =>
        [...(s.services.get(service)?.keys() ?? [])].filter((name) => canonical.get(s.source)?.has(name) === true)
      )
    );
    const chosen = new Map<string, ServiceSignalChoice>();
    for (const signal of signals) {
      const candidates = order
        .map((s) => ({ source: s.source, series: s.services.get(service)?.get(signal) }))
        .filter((c): c is { source: string; series: AlignedSeries } => c.series !== undefined);
      const fraction = (c: { series: AlignedSeries }): number =>
        c.series.missing.length === 0 ? 0 : c.series.missing.filter((m) => !m).length / c.series.missing.length;
      const first = candidates[0] as { source: string; series: AlignedSeries };
      let pick = first;
      let reason = candidates.length === 1 ? 'only source with this signal' : 'preferred source';
      if (candidates.length > 1 && fraction(first) < minObserved) {
        const best = candidates.reduce((a, b) => (fraction(b) > fraction(a) ? b : a), first);
        if (best !== first) {
          pick = best;
          reason = `preferred source ${first.source} covers ${Math.round(fraction(first) * 100)}% of the range; ${best.source} covers ${Math.round(fraction(best) * 100)}%`;
        }
      }
      chosen.set(signal, {
        service,
        signal,
        source: pick.source,
        reason,
        alternatives: candidates.filter((c) => c !== pick).map((c) => c.source),
        series: pick.series,
      });
    }
    out.set(service, chosen);
  }
  return out;
}
