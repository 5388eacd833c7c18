/**
 * The demo mesh's topology: services, their endpoints and which downstream endpoints each one
 * calls. Loaded from YAML (see topologies/*.yaml) and validated by loadTopology.
 */

/** Own processing time of a service, before and apart from its downstream calls. */
export interface LatencySpec {
  /** Median of a log-normal distribution, in milliseconds. */
  medianMs: number;
  /** 99th percentile of the same distribution, in milliseconds (>= medianMs). */
  p99Ms: number;
}

export interface CallSpec {
  service: string;
  endpoint: string;
  /** Chance in [0, 1] that the call is made on a given request. Default 1. */
  probability: number;
  /**
   * Whether the caller fails (HTTP 500) when this call fails. Default true. False models a
   * dependency whose failure is tolerated, like Online Boutique's frontend rendering a page
   * without an ad when adservice is down.
   */
  required?: boolean;
}

export interface EndpointSpec {
  name: string;
  /** Downstream calls, in order. */
  calls: CallSpec[];
  /** When true the calls are issued concurrently, otherwise one after another. */
  parallel: boolean;
}

export interface ServiceSpec {
  name: string;
  namespace: string;
  /** Extra labels (team, tier, ...) carried into telemetry where the source has such labels. */
  labels: Record<string, string>;
  latency: LatencySpec;
  /** Chance in [0, 1] that the service answers a request with HTTP 500 on its own. */
  errorRate: number;
  /** Size of each response body, in bytes. */
  payloadBytes: number;
  /** CPU time burned per request, in milliseconds (real work on the event loop). */
  cpuMsPerRequest: number;
  /** Memory the service holds while running, in bytes (really allocated). */
  memoryBytes: number;
  endpoints: Map<string, EndpointSpec>;
}

export interface EntrypointSpec {
  service: string;
  endpoint: string;
  /** Relative weight of this request type in the load mix (like a Locust task weight). */
  weight: number;
}

export interface Topology {
  name: string;
  services: Map<string, ServiceSpec>;
  entrypoints: EntrypointSpec[];
}

/** A directed call edge between two services, as service-graph metrics name it. */
export interface Edge {
  client: string;
  server: string;
}
