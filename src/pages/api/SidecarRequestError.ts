/**
 * A request to the sidecar (through the datasource's resources) that failed. `status` is the HTTP
 * status Grafana answered with; undefined when no answer arrived at all.
 */
export class SidecarRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    /** The resource path that failed, e.g. `sidecar/incidents`. */
    readonly path: string
  ) {
    super(message);
    this.name = 'SidecarRequestError';
  }
}
