/** One HTTP request to Grafana's API; resolves with the response body or rejects with a SidecarRequestError. */
export type Transport = <T>(request: TransportRequest) => Promise<T>;

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  params?: Record<string, string>;
  data?: unknown;
}
