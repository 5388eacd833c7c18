import React, { useCallback, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { type AppPluginMeta, type PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, LoadingPlaceholder, Stack } from '@grafana/ui';

import { checkDatasourceHealth } from '../checkDatasourceHealth';
import { type AppSettings, DATASOURCE_TYPE } from '../types';
import { useSidecarData } from './useSidecarData';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppSettings>>;

export function AppConfig({ plugin }: AppConfigProps) {
  const { id, enabled, pinned, jsonData } = plugin.meta;
  const [datasourceUid, setDatasourceUid] = useState(jsonData?.datasourceUid);
  const [error, setError] = useState<string | undefined>();

  const save = async () => {
    setError(undefined);
    try {
      await lastValueFrom(
        getBackendSrv().fetch({
          url: `/api/plugins/${id}/settings`,
          method: 'POST',
          data: { enabled, pinned, jsonData: { ...jsonData, datasourceUid } },
        })
      );
      window.location.reload();
    } catch (e: unknown) {
      setError((e as { data?: { message?: string } }).data?.message ?? String(e));
    }
  };

  return (
    <FieldSet label="Data source">
      <Field
        label="Seismo datasource"
        description="The Seismo Anomaly datasource instance the app pages query; it holds the Prometheus and sidecar connections"
      >
        <DataSourcePicker
          pluginId={DATASOURCE_TYPE}
          current={datasourceUid ?? null}
          noDefault
          onChange={(ds) => setDatasourceUid(ds.uid)}
        />
      </Field>
      {datasourceUid && <DatasourceHealth uid={datasourceUid} />}
      {error && (
        <Alert severity="error" title="Could not save the app settings">
          {error}
        </Alert>
      )}
      <Button onClick={save} disabled={!datasourceUid || datasourceUid === jsonData?.datasourceUid}>
        Save
      </Button>
    </FieldSet>
  );
}

/** Runs the datasource's health check (its Save & test) for the chosen instance. */
function DatasourceHealth({ uid }: { uid: string }) {
  const check = useCallback(() => checkDatasourceHealth(getBackendSrv(), uid), [uid]);
  const { result, reload, refreshing } = useSidecarData(check);
  const health = result.status === 'done' && !refreshing ? result.data : undefined;

  if (!health) {
    return <LoadingPlaceholder text="Checking the datasource" />;
  }
  return (
    <Alert
      severity={health.status === 'OK' ? 'success' : 'error'}
      title={health.status === 'OK' ? 'The datasource is healthy' : 'The datasource is not healthy'}
      data-testid="seismo-datasource-health"
    >
      <Stack direction="column" gap={1}>
        <span>
          {health.message || (health.status === 'OK' ? 'Prometheus and the sidecar answer.' : 'No details given.')}
        </span>
        {health.status !== 'OK' && (
          <span>
            Open the datasource settings (Connections, Data sources) to correct the Prometheus URL, the sidecar URL or
            the sidecar token, then check again.
          </span>
        )}
        <div>
          <Button size="sm" variant="secondary" icon="sync" onClick={reload}>
            Check again
          </Button>
        </div>
      </Stack>
    </Alert>
  );
}
