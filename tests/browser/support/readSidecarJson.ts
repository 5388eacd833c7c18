/** A running sidecar's API: its base URL and bearer token. */
export interface SidecarApi {
  url: string;
  token: string;
}

/**
 * `GET /api/v1/<path>` of a running sidecar with its token, for a test's own view of what the
 * pages should show; an answer other than 200 throws with its status and the start of its body.
 */
export async function readSidecarJson<T>(sidecar: SidecarApi, path: string): Promise<T> {
  const url = `${sidecar.url.replace(/\/$/, '')}/api/v1/${path}`;
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${sidecar.token}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    throw new Error(`GET ${url}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
  }
  return (await response.json()) as T;
}
