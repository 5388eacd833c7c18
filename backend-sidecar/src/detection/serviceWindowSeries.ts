import type { ServiceSignalChoice } from '../adapters/selectServiceSignals.js';
import type { AlignedSeries, RawPoint } from '../signals/index.js';

/**
 * The service signals that describe calls a service makes. A service that calls nothing has no
 * series for them at all, which is not the same as a gap in its telemetry.
 */
export const OUTBOUND_SIGNALS: readonly string[] = Object.freeze([
  'outbound_request_rate',
  'outbound_error_ratio',
  'outbound_latency_p95',
]);

/**
 * Which services make outbound calls, as far as the call graph and its history know: the
 * clients of every known call edge. `null` when no call edge is known at all, because then the
 * telemetry has no edge view and a missing outbound series cannot be told apart from a gap.
 */
export type OutboundCallers = ReadonlySet<string> | null;

export interface ServiceWindowSeries {
  /** Raw points per signal, as buildWindow takes them; undefined where there is no series. */
  readonly series: Record<string, RawPoint[] | undefined>;
  /** Outbound signals filled with structural zeros (empty when none). */
  readonly structuralZeros: readonly string[];
}

function toRaw(series: AlignedSeries): RawPoint[] {
  const out: RawPoint[] = new Array<RawPoint>(series.timestamps.length);
  for (let i = 0; i < series.timestamps.length; i++) {
    out[i] = [series.timestamps[i] as number, series.missing[i] ? null : (series.values[i] as number)];
  }
  return out;
}

/**
 * Zeros at the grid points where any measured signal of the service was observed, and nothing
 * elsewhere: the zeros then say exactly as much about freshness and gaps as the measured data,
 * so a service whose telemetry stopped still turns stale instead of looking fresh.
 */
function zerosWhereMeasured(measured: readonly AlignedSeries[]): RawPoint[] {
  const first = measured[0];
  if (first === undefined) {
    return [];
  }
  const out: RawPoint[] = [];
  for (let i = 0; i < first.timestamps.length; i++) {
    if (measured.some((s) => s.missing[i] === false && s.interpolated[i] !== true)) {
      out.push([first.timestamps[i] as number, 0]);
    }
  }
  return out;
}

/** Whether a service's missing outbound signals are structural zeros rather than a gap. */
export function makesNoOutboundCalls(service: string, callers: OutboundCallers): boolean {
  return callers !== null && !callers.has(service);
}

/** The sentence every window with structural zeros carries, so nobody reads the zeros as measured. */
export function structuralZeroNote(signals: readonly string[]): string {
  return (
    `${signals.join(', ')}: structural zeros, not measured (the service makes no outbound calls in the ` +
    'call graph or its history: 0 requests/s, 0 errors, latency 0 meaning "no calls"); left out of the contributions'
  );
}

/**
 * The raw series of one service's window over `signals`: the selected source's series, and for a
 * service that makes no outbound calls, zeros for the outbound signals it has no series for.
 * A service with callees keeps its missing outbound signals missing (its window is then
 * unknown): that is a real gap in the telemetry.
 */
export function serviceWindowSeries(
  service: string,
  choices: ReadonlyMap<string, ServiceSignalChoice> | undefined,
  signals: readonly string[],
  callers: OutboundCallers
): ServiceWindowSeries {
  const series: Record<string, RawPoint[] | undefined> = {};
  const absent: string[] = [];
  for (const name of signals) {
    const choice = choices?.get(name);
    if (choice === undefined) {
      series[name] = undefined;
      if (OUTBOUND_SIGNALS.includes(name)) {
        absent.push(name);
      }
    } else {
      series[name] = toRaw(choice.series);
    }
  }
  if (absent.length === 0 || !makesNoOutboundCalls(service, callers)) {
    return { series, structuralZeros: [] };
  }
  const measured = [...(choices?.values() ?? [])]
    .filter((c) => !OUTBOUND_SIGNALS.includes(c.signal))
    .map((c) => c.series);
  const zeros = zerosWhereMeasured(measured);
  if (zeros.length === 0) {
    return { series, structuralZeros: [] };
  }
  for (const name of absent) {
    series[name] = zeros;
  }
  return { series, structuralZeros: absent };
}

/** Contributions without the structural-zero signals, renormalised over the measured ones. */
export function measuredShares(
  contributions: Readonly<Record<string, number>> | null,
  structural: readonly string[]
): Readonly<Record<string, number>> | null {
  if (contributions === null || structural.length === 0) {
    return contributions;
  }
  const kept = Object.entries(contributions).filter(([signal]) => !structural.includes(signal));
  const total = kept.reduce((sum, [, share]) => sum + share, 0);
  if (!(total > 0)) {
    return Object.fromEntries(kept.map(([signal]) => [signal, 1 / kept.length]));
  }
  return Object.fromEntries(kept.map(([signal, share]) => [signal, share / total]));
}
