import type { AlignedSeries } from '../signals/index.js';
import { preferenceOrder } from './preferenceOrder.js';
import type { SourceReading, TelemetryReading } from './TelemetryReader.js';
import { meanObserved } from '../signals/meanObserved.js';

export interface CrossCheckOptions {
  /** Sources in order of preference. Default: the reading's order (the presets' order). */
  readonly preference?: readonly string[];
  /** Largest relative rate difference (|a−b| / max(a, b)) still counted as agreement. Default 0.2. */
  readonly maxRateRelativeDifference?: number;
  /**
   * Below this mean rate (requests/second) on an edge, counting noise dominates and the rates
   * are not compared. Default 0.05.
   */
  readonly minRate?: number;
  /**
   * A preferred source covering less than this share of the range loses the edge to a source that
   * covers more. Default 0.5.
   */
  readonly minObservedFraction?: number;
}

/** One source's view of one edge over the read range. */
export interface EdgeSourceView {
  readonly source: string;
  /** Share of grid points with a request rate. */
  readonly observedFraction: number;
  readonly meanRate: number | null;
  readonly meanErrorRatio: number | null;
  readonly meanLatencyP95: number | null;
}

export type EdgeAgreement = 'agree' | 'disagree' | 'single-source' | 'insufficient-traffic' | 'no-overlap';

export interface EdgeCrossCheck {
  readonly id: string;
  readonly client: string;
  readonly server: string;
  /** Every source that reported a request rate for the edge, in preference order. */
  readonly sources: readonly EdgeSourceView[];
  readonly status: EdgeAgreement;
  /**
   * Largest relative difference between the chosen source's mean rate and another source's,
   * over the grid points both observed; null when fewer than two sources could be compared.
   */
  readonly rateRelativeDifference: number | null;
  /** Largest absolute difference of mean error ratios (same points); null likewise. */
  readonly errorRatioDifference: number | null;
  /** Largest relative difference of mean p95 latency (same points); null likewise. */
  readonly latencyRelativeDifference: number | null;
  /** The one source whose series represent this edge downstream, and why. */
  readonly chosen: { readonly source: string; readonly reason: string };
}

export interface CrossCheckResult {
  /** Sources that provide an edge request rate (only they can see or miss an edge). */
  readonly sources: readonly string[];
  readonly edges: readonly EdgeCrossCheck[];
  readonly summary: {
    readonly edges: number;
    /** Edges seen by two or more sources. */
    readonly shared: number;
    readonly agreeing: number;
    readonly disagreeing: number;
    readonly insufficientTraffic: number;
    /** Edge ids seen by one source only, by that source. */
    readonly onlyIn: Readonly<Record<string, readonly string[]>>;
    /** How many edges each source was chosen for. */
    readonly chosenCounts: Readonly<Record<string, number>>;
  };
}

/**
 * Compares the sources that describe the same call edges (Istio and OBI see the same calls from
 * different vantage points). For each edge it reports each source's view, whether their rates
 * agree, and which single source represents the edge downstream, with the reason. Nothing is
 * summed across sources, so a call seen twice is never counted twice, and an edge seen by one
 * source only is listed as such rather than silently kept or dropped.
 */
export function crossCheckEdges(reading: TelemetryReading, options: CrossCheckOptions = {}): CrossCheckResult {
  const maxDiff = options.maxRateRelativeDifference ?? 0.2;
  const minRate = options.minRate ?? 0.05;
  const minObserved = options.minObservedFraction ?? 0.5;
  const order = preferenceOrder(reading, options.preference);
  const withEdges = order.filter((s) =>
    s.coverage.signals.some((c) => c.scope === 'edge' && c.signal === 'request_rate')
  );

  const ids = new Map<string, { client: string; server: string }>();
  for (const source of withEdges) {
    for (const edge of source.edges.values()) {
      if (edge.signals.has('request_rate') && !ids.has(edge.id)) {
        ids.set(edge.id, { client: edge.client, server: edge.server });
      }
    }
  }

  const edges: EdgeCrossCheck[] = [];
  for (const [id, { client, server }] of [...ids].sort(([a], [b]) => a.localeCompare(b))) {
    const present = withEdges.filter((s) => s.edges.get(id)?.signals.has('request_rate') === true);
    const views = present.map((s) => view(s, id));
    const chosen = choose(views, minObserved);
    const reference = present.find((s) => s.source === chosen.source) as SourceReading;
    let rateDiff: number | null = null;
    let errorDiff: number | null = null;
    let latencyDiff: number | null = null;
    let compared = 0;
    let overlapMissing = false;
    let lowTraffic = false;
    for (const other of present) {
      if (other === reference) {
        continue;
      }
      const a = reference.edges.get(id)?.signals;
      const b = other.edges.get(id)?.signals;
      const rate = compare(a?.get('request_rate'), b?.get('request_rate'));
      if (rate === null) {
        overlapMissing = true;
        continue;
      }
      if (Math.max(rate.a, rate.b) < minRate) {
        lowTraffic = true;
        continue;
      }
      compared++;
      rateDiff = Math.max(rateDiff ?? 0, relativeDifference(rate.a, rate.b));
      const errors = compare(a?.get('error_ratio'), b?.get('error_ratio'));
      if (errors !== null) {
        errorDiff = Math.max(errorDiff ?? 0, Math.abs(errors.a - errors.b));
      }
      const latency = compare(a?.get('latency_p95'), b?.get('latency_p95'));
      if (latency !== null) {
        latencyDiff = Math.max(latencyDiff ?? 0, relativeDifference(latency.a, latency.b));
      }
    }
    let status: EdgeAgreement;
    if (present.length < 2) {
      status = 'single-source';
    } else if (compared === 0) {
      status = lowTraffic ? 'insufficient-traffic' : overlapMissing ? 'no-overlap' : 'insufficient-traffic';
    } else {
      status = (rateDiff ?? 0) <= maxDiff ? 'agree' : 'disagree';
    }
    edges.push({
      id,
      client,
      server,
      sources: views,
      status,
      rateRelativeDifference: rateDiff,
      errorRatioDifference: errorDiff,
      latencyRelativeDifference: latencyDiff,
      chosen,
    });
  }

  const onlyIn: Record<string, string[]> = {};
  const chosenCounts: Record<string, number> = {};
  for (const source of withEdges) {
    onlyIn[source.source] = [];
    chosenCounts[source.source] = 0;
  }
  for (const edge of edges) {
    if (edge.status === 'single-source') {
      onlyIn[edge.chosen.source]?.push(edge.id);
    }
    chosenCounts[edge.chosen.source] = (chosenCounts[edge.chosen.source] ?? 0) + 1;
  }
  return {
    sources: withEdges.map((s) => s.source),
    edges,
    summary: {
      edges: edges.length,
      shared: edges.filter((e) => e.sources.length > 1).length,
      agreeing: edges.filter((e) => e.status === 'agree').length,
      disagreeing: edges.filter((e) => e.status === 'disagree').length,
      insufficientTraffic: edges.filter((e) => e.status === 'insufficient-traffic').length,
      onlyIn,
      chosenCounts,
    },
  };
}

function view(source: SourceReading, id: string): EdgeSourceView {
  const signals = source.edges.get(id)?.signals;
  const rate = signals?.get('request_rate');
  return {
    source: source.source,
    observedFraction: rate ? observedFraction(rate) : 0,
    meanRate: meanObserved(rate),
    meanErrorRatio: meanObserved(signals?.get('error_ratio')),
    meanLatencyP95: meanObserved(signals?.get('latency_p95')),
  };
}

function choose(views: readonly EdgeSourceView[], minObserved: number): { source: string; reason: string } {
  const first = views[0] as EdgeSourceView;
  if (views.length === 1) {
    return { source: first.source, reason: 'only source reporting this edge' };
  }
  if (first.observedFraction >= minObserved) {
    return { source: first.source, reason: 'preferred source (first in preference order) with sufficient coverage' };
  }
  const best = views.reduce((a, b) => (b.observedFraction > a.observedFraction ? b : a), first);
  if (best === first) {
    return { source: first.source, reason: 'preferred source; no other source covers more of the range' };
  }
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  return {
    source: best.source,
    reason:
      `preferred source ${first.source} covers ${pct(first.observedFraction)} of the range, ` +
      `below ${pct(minObserved)}; ${best.source} covers ${pct(best.observedFraction)}`,
  };
}

/** Means of two series over the grid points both have; null when they share none. */
function compare(a: AlignedSeries | undefined, b: AlignedSeries | undefined): { a: number; b: number } | null {
  if (a === undefined || b === undefined || a.values.length !== b.values.length) {
    return null;
  }
  let sumA = 0;
  let sumB = 0;
  let n = 0;
  for (let i = 0; i < a.values.length; i++) {
    if (a.missing[i] || b.missing[i]) {
      continue;
    }
    sumA += a.values[i] as number;
    sumB += b.values[i] as number;
    n++;
  }
  return n === 0 ? null : { a: sumA / n, b: sumB / n };
}

function relativeDifference(a: number, b: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

function observedFraction(series: AlignedSeries): number {
  const present = series.missing.filter((m) => !m).length;
  return series.missing.length === 0 ? 0 : present / series.missing.length;
}
