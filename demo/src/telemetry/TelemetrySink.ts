/**
 * One completed HTTP call as one side of it saw it. The mesh reports every call twice, as real
 * telemetry does: once from the caller (client side: Istio reporter="source", OBI client spans)
 * and once from the server (Istio reporter="destination", OBI server spans). A call that never
 * reached the server (an injected abort, a refused connection) has only the client side.
 */
export interface CallRecord {
  /** Workload name of the caller: a service, the load generator, or "unknown". */
  client: string;
  /** The called service. */
  server: string;
  /** Endpoint name, or "unknown" for a path the service does not serve. */
  endpoint: string;
  method: string;
  /** HTTP status as this side saw it; transport failures appear as the 503/504 a sidecar would answer. */
  status: number;
  durationSeconds: number;
  requestBytes: number;
  responseBytes: number;
  /**
   * Envoy response flags as Istio reports them ("-" when none): DI delay injected, FI abort
   * injected, UF upstream connection failure, UC upstream connection termination, UT upstream
   * request timeout, DC downstream connection termination.
   */
  responseFlags: string;
}

/** A telemetry family (Istio, OBI, ...) receiving the mesh's call records. */
export interface TelemetrySink {
  clientCall(record: CallRecord): void;
  serverCall(record: CallRecord): void;
}

/** Fans records out to several families. */
export function combineSinks(sinks: readonly TelemetrySink[]): TelemetrySink {
  return {
    clientCall: (r) => sinks.forEach((s) => s.clientCall(r)),
    serverCall: (r) => sinks.forEach((s) => s.serverCall(r)),
  };
}
