import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { type AppPluginMeta, type PluginConfigPageProps } from '@grafana/data';
import { DataSourcePicker, getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet } from '@grafana/ui';

import { type AppSettings, DATASOURCE_TYPE } from '../types';

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
      <Field label="Seismo datasource" description="The Seismo Anomaly datasource instance the app pages query">
        <DataSourcePicker
          pluginId={DATASOURCE_TYPE}
          current={datasourceUid ?? null}
          noDefault
          onChange={(ds) => setDatasourceUid(ds.uid)}
        />
      </Field>
      {error && (
        <Alert severity="error" title="Could not save the app settings">
          {error}
        </Alert>
      )}
      <Button onClick={save} disabled={!datasourceUid}>
        Save
      </Button>
    </FieldSet>
  );
}
