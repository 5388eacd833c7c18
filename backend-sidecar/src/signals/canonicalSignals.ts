/**
 * The canonical signals every telemetry adapter maps onto, per service and per call edge.
 *
 * This table is the one place that says what a signal means and in which unit it is stored,
 * so adapters, detectors, exported metrics and panels cannot drift apart. Values are always
 * kept in base units (seconds, bytes, ratios in [0, 1]); display scaling is Grafana's job.
 */

/** Whether the signal belongs to a service or to a client→server call edge. */
export type SignalScope = 'service' | 'edge';

/** Which direction of change is the unhealthy one, used when explaining a deviation. */
export type BadDirection = 'up' | 'down' | 'both';

export interface SignalSpec {
  readonly name: string;
  readonly scope: SignalScope;
  /** Base unit, written out (the value is never pre-scaled, e.g. never milliseconds). */
  readonly unit: string;
  /** Grafana unit id for panels and data frames. */
  readonly grafanaUnit: string;
  readonly description: string;
  readonly badDirection: BadDirection;
  /**
   * Smallest baseline scale that is meaningful for this signal, in its unit. A signal that was
   * constant during training (an error ratio of exactly 0) would otherwise get a scale near
   * zero and turn the first tiny blip into an enormous score.
   */
  readonly scaleFloor: number;
  /** Physically possible range; values outside it indicate a broken adapter. */
  readonly min: number;
  readonly max: number;
}

type Traits = Pick<SignalSpec, 'unit' | 'grafanaUnit' | 'badDirection' | 'scaleFloor'> & { max?: number };

const RATE: Traits = { unit: 'requests/second', grafanaUnit: 'reqps', badDirection: 'both', scaleFloor: 0.01 };
const RATIO: Traits = {
  unit: 'ratio (0-1)',
  grafanaUnit: 'percentunit',
  badDirection: 'up',
  scaleFloor: 0.001,
  max: 1,
};
const LATENCY: Traits = { unit: 'seconds', grafanaUnit: 's', badDirection: 'up', scaleFloor: 0.001 };
// Grafana has no "cores" unit; "short" prints the plain number.
const CORES: Traits = { unit: 'cores', grafanaUnit: 'short', badDirection: 'up', scaleFloor: 0.001 };
const BYTES: Traits = { unit: 'bytes', grafanaUnit: 'bytes', badDirection: 'up', scaleFloor: 1024 * 1024 };
const BYTE_RATE: Traits = { unit: 'bytes/second', grafanaUnit: 'Bps', badDirection: 'both', scaleFloor: 100 };

/** Builds a frozen table whose keys are the signal names, so a name is written once. */
function table<K extends string>(
  scope: SignalScope,
  entries: Record<K, [Traits, string]>
): Readonly<Record<K, SignalSpec>> {
  const out = {} as Record<K, SignalSpec>;
  for (const name of Object.keys(entries) as K[]) {
    const [{ max = Number.POSITIVE_INFINITY, ...traits }, description] = entries[name];
    out[name] = Object.freeze({ name, scope, description, ...traits, min: 0, max });
  }
  return Object.freeze(out);
}

const SERVICE = table('service', {
  request_rate: [RATE, 'Requests received by the service per second (all callers, all replicas).'],
  error_ratio: [RATIO, 'Share of inbound requests answered with a server error, in [0, 1].'],
  latency_p50: [LATENCY, 'Median duration of inbound requests as seen by the service, in seconds.'],
  latency_p95: [LATENCY, '95th percentile duration of inbound requests, in seconds.'],
  latency_p99: [LATENCY, '99th percentile duration of inbound requests, in seconds.'],
  outbound_request_rate: [RATE, 'Requests the service sends to its dependencies per second.'],
  outbound_error_ratio: [RATIO, 'Share of outbound requests that failed, in [0, 1].'],
  outbound_latency_p95: [LATENCY, '95th percentile duration of outbound requests as seen by the caller, in seconds.'],
  cpu_usage: [CORES, 'CPU time consumed per second summed over all replicas, in cores.'],
  memory_working_set: [BYTES, 'Working-set memory summed over all replicas, in bytes.'],
  network_receive_rate: [BYTE_RATE, 'Bytes received per second summed over all replicas.'],
  network_transmit_rate: [BYTE_RATE, 'Bytes transmitted per second summed over all replicas.'],
});

const EDGE = table('edge', {
  request_rate: [RATE, 'Requests from the client service to the server service per second.'],
  error_ratio: [RATIO, 'Share of client→server requests that failed, in [0, 1].'],
  latency_p95: [LATENCY, '95th percentile duration of client→server requests, in seconds.'],
});

export type ServiceSignalName = keyof typeof SERVICE;
export type EdgeSignalName = keyof typeof EDGE;
export type SignalName = ServiceSignalName | EdgeSignalName;

/**
 * Canonical signals by scope. Key order is the canonical order (used when a model manifest
 * does not name its own), so do not reorder entries casually.
 */
export const CANONICAL_SIGNALS: {
  readonly service: Readonly<Record<ServiceSignalName, SignalSpec>>;
  readonly edge: Readonly<Record<EdgeSignalName, SignalSpec>>;
} = Object.freeze({ service: SERVICE, edge: EDGE });
