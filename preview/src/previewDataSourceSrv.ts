import type {
  DataSourceApi,
  DataSourceInstanceSettings,
  DataSourcePlugin,
  DataSourcePluginMeta,
  DataSourceRef,
} from '@grafana/data';
import type { DataSourceSrv, GetDataSourceListFilters } from '@grafana/runtime';

import { PREVIEW_DATASOURCE } from '../server/previewDatasource';

/**
 * Grafana's datasource service with the one Seismo datasource the preview stands in for: the
 * instance settings Grafana would list for it (with its plugin.json as meta), and an instance of
 * the built datasource plugin's class for `get`.
 */
export function previewDataSourceSrv(
  meta: DataSourcePluginMeta,
  plugin: DataSourcePlugin<DataSourceApi>
): DataSourceSrv {
  const settings: DataSourceInstanceSettings = {
    id: 1,
    uid: PREVIEW_DATASOURCE.uid,
    type: PREVIEW_DATASOURCE.type,
    name: PREVIEW_DATASOURCE.name,
    meta,
    jsonData: {},
    access: 'proxy',
    readOnly: true,
    isDefault: false,
  };
  let instance: DataSourceApi | undefined;
  const matches = (ref?: DataSourceRef | string | null) => {
    if (ref === undefined || ref === null) {
      return false;
    }
    const uid = typeof ref === 'string' ? ref : ref.uid;
    return uid === settings.uid || uid === settings.name;
  };
  return {
    get: async (ref) => {
      if (!matches(ref)) {
        throw new Error(`Datasource ${JSON.stringify(ref)} was not found`);
      }
      instance ??= new plugin.DataSourceClass(settings);
      return instance;
    },
    getList: (filters: GetDataSourceListFilters = {}) => {
      const { pluginId, type } = filters as { pluginId?: string; type?: string | string[] };
      const types = type === undefined ? undefined : Array.isArray(type) ? type : [type];
      const wanted = (!pluginId || pluginId === settings.type) && (!types || types.includes(settings.type));
      return wanted ? [settings] : [];
    },
    getInstanceSettings: (ref) => (matches(ref) ? settings : undefined),
    reload: () => undefined,
    registerRuntimeDataSource: () => {
      throw new Error('the preview host has no runtime datasources');
    },
  };
}
