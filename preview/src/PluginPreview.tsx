import React, { useEffect, useMemo, useState } from 'react';
import {
  AppPlugin,
  type AppPluginMeta,
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

/** A plugin as read from dist/: its plugin.json and the `plugin` export of its module. */
export interface LoadedPlugin {
  meta: PluginMeta;
  plugin: unknown;
}

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
    uid: 'seismo-preview',
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
      uid: 'seismo-preview',
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

function PanelPreview({ meta, plugin }: { meta: PluginMeta; plugin: PanelPlugin }) {
  const Panel = plugin.panel;
  const eventBus = useMemo(() => new EventBusSrv(), []);
  if (!Panel) {
    throw new Error(`${meta.id}: panel has no component`);
  }
  const to = dateTime();
  const from = dateTime(to).subtract(1, 'hour');
  const timeRange = { from, to, raw: { from: 'now-1h', to: 'now' } };
  return (
    <div style={{ width: 480, height: 240 }}>
      <Panel
        id={1}
        title={meta.name}
        data={{ series: [], state: LoadingState.Done, timeRange }}
        timeRange={timeRange}
        timeZone="utc"
        options={{}}
        fieldConfig={{ defaults: {}, overrides: [] }}
        transparent={false}
        width={480}
        height={240}
        renderCounter={0}
        eventBus={eventBus}
        onOptionsChange={() => undefined}
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
