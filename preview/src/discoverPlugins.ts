import type { PluginMeta } from '@grafana/data';

import { loadAmdModule } from './loadAmdModule';
import { sharedModules } from './sharedModules';

/** Where the preview serves the built plugin (dist/). */
export const DIST = '/dist';

/** What the page reports about each plugin; browser tests read it from `window.__seismoPreview`. */
export interface PluginStatus {
  id: string;
  type: string;
  path: string;
  loaded: boolean;
  rendered: boolean;
  error?: string;
}

/** A plugin as read from dist/: its plugin.json and the `plugin` export of its module. */
export interface LoadedPlugin {
  meta: PluginMeta;
  plugin: unknown;
}

export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}`);
  }
  return response.json();
}

/** Logo paths made absolute, as Grafana's plugin API gives them (relative to the plugin's folder). */
function withServedLogos(meta: PluginMeta, path: string): PluginMeta {
  const base = `${DIST}/${path ? path + '/' : ''}`;
  const served = (logo: string | undefined) => (logo && !/^(\/|https?:|data:)/.test(logo) ? base + logo : logo);
  const logos = meta.info?.logos;
  return logos
    ? { ...meta, info: { ...meta.info, logos: { small: served(logos.small)!, large: served(logos.large)! } } }
    : meta;
}

/** The app and every nested plugin its plugin.json includes, as Grafana discovers them. */
export async function discoverPlugins(): Promise<Array<{ path: string; meta: PluginMeta }>> {
  const app = withServedLogos(
    await fetchJson<PluginMeta & { includes?: Array<{ type: string; path?: string }> }>(`${DIST}/plugin.json`),
    ''
  );
  const nestedPaths = (app.includes ?? [])
    .filter((include) => (include.type === 'datasource' || include.type === 'panel') && include.path)
    .map((include) => include.path!.replace(/\/?plugin\.json$/, ''));
  const nested = await Promise.all(
    nestedPaths.map(async (path) => ({
      path,
      meta: withServedLogos(await fetchJson<PluginMeta>(`${DIST}/${path}/plugin.json`), path),
    }))
  );
  return [{ path: '', meta: app }, ...nested];
}

/**
 * Loads the modules of the discovered plugins `wanted` picks, one after another (the AMD loader
 * installs one global `define` at a time). A failure is kept in the plugin's status.
 */
export async function loadPlugins(wanted: (meta: PluginMeta) => boolean) {
  const statuses: PluginStatus[] = [];
  const loaded: Array<LoadedPlugin & { status: PluginStatus }> = [];
  for (const { path, meta } of await discoverPlugins()) {
    if (!wanted(meta)) {
      continue;
    }
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
  return { statuses, loaded };
}
