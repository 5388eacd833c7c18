import React from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, ThemeContext } from '@grafana/data';
import { config, setBackendSrv } from '@grafana/runtime';
import { GlobalStyles } from '@grafana/ui';

import { isAppPath, mountAppPages } from './AppPagesHost';
import { type LoadedPlugin, loadPlugins, type PluginStatus } from './discoverPlugins';
import { ErrorBoundary } from './ErrorBoundary';
import { loadPanelFrames } from './loadPanelFrames';
import { previewBackendSrv, type SidecarSource } from './previewBackendSrv';
import { type PanelScene, PanelPreview, PluginPreview, RenderProbe } from './PluginPreview';
import { syntheticTopology } from './syntheticTopology';

declare global {
  interface Window {
    __seismoPreview?: { ready: boolean; plugins: PluginStatus[] };
    /** Set by the benchmark page: when the panel was handed its frames (performance.now()). */
    __seismoBench?: { dataAt: number; nodes: number; edges: number };
  }
}

const PANELS = ['seismo-topology-panel', 'seismo-temperature-panel', 'seismo-forecast-panel'];

/**
 * Page paths other than / are Grafana's: the app's pages (`/a/seismo-aiops-app/...`) and its
 * configuration (`/plugins/seismo-aiops-app`), with live data through the preview server.
 *
 * Parameters of /:
 * - (none): every plugin the app includes, mounted with empty data (the load check).
 * - `view=panels`: the panels with real frames; `source=fixtures&set=<name>` (recorded, default
 *   `delay-one-edge`) or `source=live` (the sidecar behind the preview server's proxy);
 *   `panels=<id,...>`, `options=<JSON>` (panel options, for every listed panel), `width`, `height`,
 *   `from` and `to` (epoch ms; the live range, default the last hour; a given `to` also fixes the
 *   topology at that time) and `incident=<id>` (the incident the live topology ranks causes for).
 * - `view=bench&nodes=N&edgesPerNode=K`: the topology panel on a synthetic graph.
 * - `theme=light|dark` (default dark; kept for the pages the preview navigates to).
 */
const params = new URLSearchParams(window.location.search);
const view = params.get('view') ?? 'plugins';
const source: SidecarSource =
  params.get('source') === 'live' ? { kind: 'live' } : { kind: 'fixtures', set: params.get('set') ?? 'delay-one-edge' };
// index.html reads the theme parameter into the boot data, as Grafana reads the user's preference.
const themeMode = config.bootData.user.lightTheme ? 'light' : 'dark';

function numberParam(name: string, fallback: number): number {
  const value = Number(params.get(name));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function panelOptions(): Record<string, unknown> {
  const raw = params.get('options');
  if (!raw) {
    return {};
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Error(`options: not JSON (${error})`);
  }
}

/** The scene each loaded panel gets; failures are kept per panel and shown in its place. */
async function buildScenes(loaded: Array<LoadedPlugin & { status: PluginStatus }>) {
  const scenes = new Map<string, PanelScene | Error>();
  const options = panelOptions();
  const width = numberParam('width', 1200);
  const height = numberParam('height', 560);
  for (const entry of loaded) {
    if (view === 'bench') {
      const series = syntheticTopology(numberParam('nodes', 100), numberParam('edgesPerNode', 4));
      const to = Date.now();
      scenes.set(entry.meta.id, { series, range: { from: to - 3_600_000, to }, options, width, height, notes: [] });
      continue;
    }
    try {
      const from = Number(params.get('from'));
      const to = Number(params.get('to'));
      const incidentId = params.get('incident');
      const frames = await loadPanelFrames(entry.meta.id, source, {
        ...(from > 0 && to > from ? { range: { from, to } } : {}),
        ...(incidentId ? { incidentId } : {}),
      });
      scenes.set(entry.meta.id, { ...frames, options, width, height });
    } catch (error) {
      scenes.set(entry.meta.id, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return scenes;
}

async function main() {
  const theme = createTheme({ colors: { mode: themeMode } });
  if (isAppPath(window.location.pathname)) {
    await mountAppPages(document.getElementById('root')!, theme);
    return;
  }
  setBackendSrv(previewBackendSrv({ source }));
  const requested = (params.get('panels') ?? (view === 'bench' ? 'seismo-topology-panel' : PANELS.join(','))).split(
    ','
  );
  const { statuses, loaded } = await loadPlugins((meta) => view === 'plugins' || requested.includes(meta.id));
  const scenes = view === 'plugins' ? new Map<string, PanelScene | Error>() : await buildScenes(loaded);
  const report = createReport(statuses, loaded.length);

  document.body.style.background = theme.colors.background.canvas;
  if (view === 'bench') {
    const topology = scenes.get('seismo-topology-panel');
    if (topology && !(topology instanceof Error)) {
      window.__seismoBench = {
        dataAt: performance.now(),
        nodes: topology.series[0]?.length ?? 0,
        edges: topology.series[1]?.length ?? 0,
      };
    }
  }
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <main style={{ padding: 16, display: 'grid', gap: 24 }}>
        {view === 'plugins' && <h1>Seismo plugin preview</h1>}
        {statuses
          .filter((status) => !status.loaded)
          .map((status) => (
            <section key={status.id} data-testid={`plugin-${status.id}`} data-status="failed">
              <h2>{status.id}</h2>
              <pre role="alert">{status.error}</pre>
            </section>
          ))}
        {loaded.map((entry) => (
          <PluginSection
            key={entry.meta.id}
            entry={entry}
            scene={scenes.get(entry.meta.id)}
            onRendered={() => report.rendered(entry.status.id)}
            onError={(error) => report.failed(entry.status.id, error)}
          />
        ))}
      </main>
    </ThemeContext.Provider>
  );
}

/**
 * Collects each plugin's outcome and publishes the page's result once every loaded plugin has
 * rendered or failed. A failure after a successful render (an effect throwing later) still counts.
 */
function createReport(statuses: PluginStatus[], toSettle: number) {
  const settled = new Set<string>();
  const publish = () => {
    window.__seismoPreview = { ready: settled.size >= toSettle, plugins: statuses };
  };
  const settle = (id: string) => {
    settled.add(id);
    publish();
  };
  publish();
  const find = (id: string) => statuses.find((status) => status.id === id)!;
  return {
    rendered(id: string) {
      const status = find(id);
      if (!status.error) {
        status.rendered = true;
      }
      settle(id);
    },
    failed(id: string, error: Error) {
      const status = find(id);
      status.rendered = false;
      status.error = error.message;
      settle(id);
    },
  };
}

interface PluginSectionProps {
  entry: LoadedPlugin & { status: PluginStatus };
  scene: PanelScene | Error | undefined;
  onRendered: () => void;
  onError: (error: Error) => void;
}

function PluginSection({ entry, scene, onRendered, onError }: PluginSectionProps) {
  if (scene instanceof Error) {
    return (
      <section data-testid={`plugin-${entry.status.id}`} data-status="failed">
        <h2>{entry.meta.name}</h2>
        <pre role="alert">Could not load its frames: {scene.message}</pre>
        <RenderProbe onRendered={() => onError(scene)}>{null}</RenderProbe>
      </section>
    );
  }
  return (
    <section data-testid={`plugin-${entry.status.id}`}>
      <h2>
        {entry.meta.name} <small>({entry.status.id})</small>
      </h2>
      {scene?.notes.map((note) => (
        <p key={note} role="status">
          {note}
        </p>
      ))}
      <ErrorBoundary onError={onError}>
        <RenderProbe onRendered={onRendered}>
          {scene ? (
            <PanelPreview meta={entry.meta} plugin={entry.plugin as never} scene={scene} />
          ) : (
            <PluginPreview meta={entry.meta} plugin={entry.plugin} />
          )}
        </RenderProbe>
      </ErrorBoundary>
    </section>
  );
}

main().catch((error) => {
  console.error(error);
  window.__seismoPreview = { ready: true, plugins: [] };
  document.getElementById('root')!.textContent = `Preview failed: ${error}`;
});
