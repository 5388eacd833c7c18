import React from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, type PluginMeta, ThemeContext } from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';

import { ErrorBoundary } from './ErrorBoundary';
import { loadAmdModule } from './loadAmdModule';
import { type LoadedPlugin, PluginPreview, RenderProbe } from './PluginPreview';
import { sharedModules } from './sharedModules';

/** What the page reports about each plugin; browser tests read it from `window.__seismoPreview`. */
export interface PluginStatus {
  id: string;
  type: string;
  path: string;
  loaded: boolean;
  rendered: boolean;
  error?: string;
}

declare global {
  interface Window {
    __seismoPreview?: { ready: boolean; plugins: PluginStatus[] };
  }
}

const DIST = 'dist';

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return response.json();
}

/** The app and every nested plugin its plugin.json includes, as Grafana discovers them. */
async function discoverPlugins(): Promise<Array<{ path: string; meta: PluginMeta }>> {
  const app = await fetchJson<PluginMeta & { includes?: Array<{ type: string; path?: string }> }>(
    `${DIST}/plugin.json`
  );
  const nestedPaths = (app.includes ?? [])
    .filter((include) => (include.type === 'datasource' || include.type === 'panel') && include.path)
    .map((include) => include.path!.replace(/\/?plugin\.json$/, ''));
  const nested = await Promise.all(
    nestedPaths.map(async (path) => ({ path, meta: await fetchJson<PluginMeta>(`${DIST}/${path}/plugin.json`) }))
  );
  return [{ path: '', meta: app }, ...nested];
}

async function main() {
  const statuses: PluginStatus[] = [];
  const loaded: Array<LoadedPlugin & { status: PluginStatus }> = [];
  for (const { path, meta } of await discoverPlugins()) {
    const status: PluginStatus = { id: meta.id, type: meta.type, path, loaded: false, rendered: false };
    statuses.push(status);
    try {
      const exports = (await loadAmdModule(`${DIST}/${path ? path + '/' : ''}module.js`, sharedModules)) as {
        plugin?: unknown;
      };
      if (!exports?.plugin) {
        throw new Error(`${meta.id}: module has no "plugin" export`);
      }
      status.loaded = true;
      loaded.push({ meta, plugin: exports.plugin, status });
    } catch (error) {
      status.error = String(error instanceof Error ? error.message : error);
    }
  }

  const report = createReport(statuses, loaded.length);

  const theme = createTheme({ colors: { mode: 'dark' } });
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <main style={{ padding: 16, display: 'grid', gap: 24 }}>
        <h1>Seismo plugin preview</h1>
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
  onRendered: () => void;
  onError: (error: Error) => void;
}

function PluginSection({ entry, onRendered, onError }: PluginSectionProps) {
  return (
    <section data-testid={`plugin-${entry.status.id}`}>
      <h2>
        {entry.meta.name} <small>({entry.status.id})</small>
      </h2>
      <ErrorBoundary onError={onError}>
        <RenderProbe onRendered={onRendered}>
          <PluginPreview meta={entry.meta} plugin={entry.plugin} />
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
