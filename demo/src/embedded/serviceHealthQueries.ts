/**
 * What the embedded demo shows per service, as PromQL over the mesh's Istio metrics. The
 * source-side reporter is used on purpose: it is what callers experience, so a dead service
 * still shows up (as errors and timeouts seen by its callers) although it reports nothing itself.
 */
export function serviceHealthQueries(windowSeconds: number): Record<'rate' | 'errors' | 'p95', string> {
  const window = `[${windowSeconds}s]`;
  const requests = 'istio_requests_total{reporter="source"}';
  return {
    rate: `sum by (destination_workload) (rate(${requests}${window}))`,
    errors: `sum by (destination_workload) (rate(istio_requests_total{reporter="source",response_code=~"5.."}${window}))`,
    p95: `histogram_quantile(0.95, sum by (destination_workload, le) (rate(istio_request_duration_milliseconds_bucket{reporter="source"}${window})))`,
  };
}
