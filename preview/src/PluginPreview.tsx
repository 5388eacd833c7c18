import React, { useEffect, useMemo, useState } from 'react';
import {
  AppPlugin,
  type AppPluginMeta,
  type DataFrame,
  type DataQueryRequest,
  DataSourcePlugin,
  type DataSourceInstanceSettings,
  type DataSourceJsonData,
  type DataSourcePluginMeta,
  type DataSourceSettings,
  dateTime,
  EventBusSrv,
  LoadingState,
  PanelPlugin,
  type PluginMeta,
} from '@grafana/data';
import { MemoryRouter } from 'react-router';

import { PREVIEW_DATASOURCE } from '../server/previewDatasource';
import type { LoadedPlugin } from './discoverPlugins';

/** Renders a loaded plugin the way Grafana would mount it, with empty data and settings. */
export function PluginPreview({ meta, plugin }: LoadedPlugin) {
  if (plugin instanceof AppPlugin) {
    return <AppPreview meta={meta} plugin={plugin} />;
  }
  if (plugin instanceof DataSourcePlugin) {
    return <DataSourcePreview meta={meta} plugin={plugin} />;
  }
  if (plugin instanceof PanelPlugin) {
    return <PanelPreview meta={meta} plugin={plugin} />;
  }
  throw new Error(`${meta.id}: module does not export an AppPlugin, DataSourcePlugin or PanelPlugin`);
}

function AppPreview({ meta, plugin }: { meta: PluginMeta; plugin: AppPlugin }) {
  const Root = plugin.root;
  if (!Root) {
    throw new Error(`${meta.id}: app has no root page`);
  }
  const appMeta = { ...meta, enabled: true, jsonData: {} } as AppPluginMeta;
  return (
    <MemoryRouter initialEntries={['/']}>
      <Root meta={appMeta} basename={`/a/${meta.id}`} query={{}} path="" onNavChanged={() => undefined} />
    </MemoryRouter>
  );
}

function DataSourcePreview({ meta, plugin }: { meta: PluginMeta; plugin: DataSourcePlugin<any, any, any, any> }) {
  const { ConfigEditor, QueryEditor } = plugin.components;
  const [settings, setSettings] = useState<DataSourceSettings<DataSourceJsonData>>(() => ({
    id: 1,
    uid: PREVIEW_DATASOURCE.uid,
    orgId: 1,
    name: meta.name,
    typeLogoUrl: '',
    type: meta.id,
    typeName: meta.name,
    access: 'proxy',
    url: '',
    user: '',
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    jsonData: {},
    secureJsonFields: {},
    readOnly: false,
    withCredentials: false,
  }));
  const datasource = useMemo(() => {
    const instanceSettings = {
      id: 1,
      uid: PREVIEW_DATASOURCE.uid,
      type: meta.id,
      name: meta.name,
      meta: meta as DataSourcePluginMeta,
      jsonData: {},
      access: 'proxy',
      readOnly: false,
    } as DataSourceInstanceSettings;
    return new plugin.DataSourceClass(instanceSettings);
  }, [meta, plugin]);
  const [query, setQuery] = useState(() => ({ refId: 'A', ...datasource.getDefaultQuery?.(0 as never) }));

  if (!ConfigEditor || !QueryEditor) {
    throw new Error(`${meta.id}: datasource lacks a config or query editor`);
  }
  return (
    <>
      <ConfigEditor options={settings} onOptionsChange={setSettings} />
      <QueryEditor datasource={datasource} query={query} onChange={setQuery} onRunQuery={() => undefined} />
    </>
  );
}

export interface PanelScene {
  series: DataFrame[];
  range: { from: number; to: number };
  options: Record<string, unknown>;
  width: number;
  height: number;
  /** Shown above the panel: what the preview could not load. */
  notes: string[];
}

const EMPTY_SCENE: PanelScene = {
  series: [],
  range: { from: Date.now() - 3_600_000, to: Date.now() },
  options: {},
  width: 480,
  height: 240,
  notes: [],
};

/** The query the panel's data came from, as Grafana passes it: the Seismo datasource of the preview. */
const PREVIEW_TARGETS = [
  { refId: 'A', datasource: { uid: PREVIEW_DATASOURCE.uid, type: 'seismo-anomaly-datasource' } },
];

/** Mounts a panel as a dashboard would, with the scene's frames, range, options and size. */
export function PanelPreview({
  meta,
  plugin,
  scene = EMPTY_SCENE,
}: {
  meta: PluginMeta;
  plugin: PanelPlugin;
  scene?: PanelScene;
}) {
  const Panel = plugin.panel;
  const eventBus = useMemo(() => new EventBusSrv(), []);
  const [options, setOptions] = useState<Record<string, unknown>>(scene.options);
  if (!Panel) {
    throw new Error(`${meta.id}: panel has no component`);
  }
  const from = dateTime(scene.range.from);
  const to = dateTime(scene.range.to);
  const timeRange = { from, to, raw: { from, to } };
  const request = {
    requestId: 'preview',
    interval: '15s',
    intervalMs: 15_000,
    range: timeRange,
    scopedVars: {},
    targets: PREVIEW_TARGETS,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
  } as unknown as DataQueryRequest;
  return (
    <div style={{ width: scene.width, height: scene.height }}>
      <Panel
        id={1}
        title={meta.name}
        data={{ series: scene.series, state: LoadingState.Done, timeRange, request }}
        timeRange={timeRange}
        timeZone="utc"
        options={options}
        fieldConfig={{ defaults: {}, overrides: [] }}
        transparent={false}
        width={scene.width}
        height={scene.height}
        renderCounter={0}
        eventBus={eventBus}
        onOptionsChange={(next: Record<string, unknown>) => setOptions(next)}
        onFieldConfigChange={() => undefined}
        replaceVariables={(value: string) => value}
        onChangeTimeRange={() => undefined}
      />
    </div>
  );
}

/** Calls `onRendered` once its children have committed to the DOM. */
export function RenderProbe({ onRendered, children }: { onRendered: () => void; children: React.ReactNode }) {
  useEffect(() => onRendered(), [onRendered]);
  return <>{children}</>;
}
