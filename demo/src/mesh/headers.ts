/**
 * Request header naming the calling workload. A sidecar or an eBPF agent knows the peer of a
 * connection; the demo's servers all share one process and address, so the caller says who it is.
 */
export const CALLER_HEADER = 'x-seismo-caller';

/** Response header naming the service that answered, so a client can check where a request landed. */
export const SERVICE_HEADER = 'x-seismo-service';
