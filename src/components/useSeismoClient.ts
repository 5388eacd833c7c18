import { useMemo } from 'react';
import { getBackendSrv, getDataSourceSrv } from '@grafana/runtime';

import { backendSrvTransport } from '../pages/api/backendSrvTransport';
import { SidecarClient } from '../pages/api/SidecarClient';
import { type AppSettings, DATASOURCE_TYPE } from '../types';
import { resolveDatasourceUid } from './resolveDatasourceUid';

export interface SeismoConnection {
  client: SidecarClient;
  /** False when the app picked the only Seismo datasource because none was chosen. */
  chosen: boolean;
}

/** The sidecar client for the app's datasource, or undefined when none can be determined. */
export function useSeismoClient(settings: AppSettings): SeismoConnection | undefined {
  const configured = settings.datasourceUid;
  return useMemo(() => {
    const resolved = resolveDatasourceUid(configured, configured ? [] : seismoInstances());
    if (!resolved) {
      return undefined;
    }
    return { client: new SidecarClient(backendSrvTransport(getBackendSrv()), resolved.uid), chosen: resolved.chosen };
  }, [configured]);
}

function seismoInstances(): Array<{ uid: string }> {
  try {
    return getDataSourceSrv().getList({ pluginId: DATASOURCE_TYPE });
  } catch {
    // Outside a running Grafana (tests, previews) there is no datasource service to ask.
    return [];
  }
}
