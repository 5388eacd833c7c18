import { type DataFrame, type DataFrameJSON, dataFrameFromJSON } from '@grafana/data';

import { PREVIEW_DATASOURCE } from '../server/previewDatasource';
import { livePanelRoutes } from './livePanelRoutes';
import type { SidecarSource } from './previewBackendSrv';
import { prometheusTimeline, type RangeQuery } from './prometheusTimeline';

export interface PanelFrames {
  series: DataFrame[];
  /** The dashboard range the frames belong to (epoch ms). */
  range: { from: number; to: number };
  /** What could not be shown and why. */
  notes: string[];
}

/** Which recorded files feed each panel (livePanelRoutes names the live routes). */
const FIXTURE_FILES: Record<string, string[]> = {
  'seismo-topology-panel': ['topology', 'rootcause'],
  'seismo-temperature-panel': ['timeline', 'tolerated'],
  'seismo-forecast-panel': ['forecast'],
};

/** What the live preview was asked to show; without a range, the last hour up to now. */
export interface LiveSelection {
  /** Epoch ms; a given range ends at a fixed time (see livePanelRoutes). */
  range?: { from: number; to: number };
  incidentId?: string;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body?.error?.message ?? body?.error ?? response.statusText;
    throw new Error(`${url}: HTTP ${response.status}: ${message}`);
  }
  return body as T;
}

const queryPrometheus: RangeQuery = async (expr, start, end, step) => {
  const query = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: String(step) });
  const body = await getJson<{ data?: { result?: unknown } }>(`/api/prometheus/api/v1/query_range?${query}`);
  return (body.data?.result ?? []) as Awaited<ReturnType<RangeQuery>>;
};

const toFrames = (body: { frames?: DataFrameJSON[] }) => (body.frames ?? []).map((frame) => dataFrameFromJSON(frame));

/**
 * The frames a panel shows in the preview: a recorded set (files following docs/frames.md), or
 * the live sidecar's routes through the preview server's proxy. Live forecasts take the first
 * target the sidecar lists.
 */
export async function loadPanelFrames(
  panelId: string,
  source: SidecarSource,
  live: LiveSelection = {}
): Promise<PanelFrames> {
  if (source.kind === 'fixtures') {
    const files = FIXTURE_FILES[panelId] ?? [];
    const base = `/fixtures/${encodeURIComponent(source.set)}`;
    const [range, ...bodies] = await Promise.all([
      getJson<{ from: number; to: number }>(`${base}/range.json`),
      ...files.map((file) => getJson<{ frames: DataFrameJSON[] }>(`${base}/${file}.json`)),
    ]);
    return { series: bodies.flatMap(toFrames), range, notes: [] };
  }
  const api = `/api/datasources/uid/${PREVIEW_DATASOURCE.uid}/resources/sidecar/`;
  const now = Date.now();
  const range = live.range ?? { from: now - 3_600_000, to: now };
  const routes = livePanelRoutes(panelId, {
    range,
    fixedEnd: live.range !== undefined,
    ...(live.incidentId ? { incidentId: live.incidentId } : {}),
  });
  if (panelId === 'seismo-forecast-panel') {
    const { targets } = await getJson<{ targets: Array<Record<string, string>> }>(`${api}forecasts`);
    const target = targets[0];
    if (target) {
      const query = new URLSearchParams(
        Object.entries({
          ...target,
          from: String(Math.floor(range.from / 1000)),
          to: String(Math.floor(range.to / 1000)),
        }).filter(
          ([key, value]) =>
            ['scope', 'service', 'client', 'server', 'signal', 'from', 'to'].includes(key) && typeof value === 'string'
        )
      );
      routes.push(`forecasts/target?${query}`);
    }
  }
  const bodies = await Promise.all(routes.map((route) => getJson<{ frames?: DataFrameJSON[] }>(api + route)));
  const series = bodies.flatMap(toFrames);
  const notes: string[] = [];
  if (panelId === 'seismo-temperature-panel') {
    // The temperature history lives in Prometheus, which the preview reaches through its proxy.
    try {
      // Same JSON as the datasource sends; FieldType's values are these strings.
      const frames = (await prometheusTimeline(queryPrometheus, range)) as unknown as DataFrameJSON[];
      series.push(...toFrames({ frames }));
    } catch (error) {
      notes.push(`No temperature history: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { series, range, notes };
}
