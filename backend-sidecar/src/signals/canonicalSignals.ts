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

function spec(
  scope: SignalScope,
  name: string,
  unit: string,
  grafanaUnit: string,
  badDirection: BadDirection,
  scaleFloor: number,
  description: string,
  max = Number.POSITIVE_INFINITY
): SignalSpec {
  return Object.freeze({ name, scope, unit, grafanaUnit, description, badDirection, scaleFloor, min: 0, max });
}

const MIB = 1024 * 1024;

const SERVICE = Object.freeze({
  request_rate: spec('service', 'request_rate', 'requests/second', 'reqps', 'both', 0.01,
    'Requests received by the service per second (inbound, all callers and replicas).'),
  error_ratio: spec('service', 'error_ratio', 'ratio (0-1)', 'percentunit', 'up', 0.001,
    'Share of inbound requests answered with a server error, in [0, 1].', 1),
  latency_p50: spec('service', 'latency_p50', 'seconds', 's', 'up', 0.001,
    'Median duration of inbound requests as seen by the service, in seconds.'),
  latency_p95: spec('service', 'latency_p95', 'seconds', 's', 'up', 0.001,
    '95th percentile duration of inbound requests, in seconds.'),
  latency_p99: spec('service', 'latency_p99', 'seconds', 's', 'up', 0.001,
    '99th percentile duration of inbound requests, in seconds.'),
  outbound_request_rate: spec('service', 'outbound_request_rate', 'requests/second', 'reqps', 'both', 0.01,
    'Requests the service sends to its downstream dependencies per second.'),
  outbound_error_ratio: spec('service', 'outbound_error_ratio', 'ratio (0-1)', 'percentunit', 'up', 0.001,
    'Share of outbound requests that failed, in [0, 1].', 1),
  outbound_latency_p95: spec('service', 'outbound_latency_p95', 'seconds', 's', 'up', 0.001,
    '95th percentile duration of outbound requests as seen by the caller, in seconds.'),
  cpu_usage: spec('service', 'cpu_usage', 'cores', 'short', 'up', 0.001,
    'CPU time consumed per second summed over all replicas, in cores.'),
  memory_working_set: spec('service', 'memory_working_set', 'bytes', 'bytes', 'up', MIB,
    'Working-set memory summed over all replicas, in bytes.'),
  network_receive_rate: spec('service', 'network_receive_rate', 'bytes/second', 'Bps', 'both', 100,
    'Bytes received per second summed over all replicas.'),
  network_transmit_rate: spec('service', 'network_transmit_rate', 'bytes/second', 'Bps', 'both', 100,
    'Bytes transmitted per second summed over all replicas.'),
});

const EDGE = Object.freeze({
  request_rate: spec('edge', 'request_rate', 'requests/second', 'reqps', 'both', 0.01,
    'Requests from the client service to the server service per second.'),
  error_ratio: spec('edge', 'error_ratio', 'ratio (0-1)', 'percentunit', 'up', 0.001,
    'Share of client→server requests that failed, in [0, 1].', 1),
  latency_p95: spec('edge', 'latency_p95', 'seconds', 's', 'up', 0.001,
    '95th percentile duration of client→server requests, in seconds.'),
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
