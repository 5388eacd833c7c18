import React, { useEffect, useState } from 'react';
import { PluginPage, getBackendSrv } from '@grafana/runtime';
import { Alert, LinkButton, LoadingPlaceholder } from '@grafana/ui';

import { checkDatasourceHealth, type HealthResult } from '../checkDatasourceHealth';
import { APP_ID, type AppSettings } from '../types';

interface Props {
  settings: AppSettings;
}

export function Overview({ settings }: Props) {
  const { datasourceUid } = settings;
  const [health, setHealth] = useState<HealthResult | undefined>();

  useEffect(() => {
    if (!datasourceUid) {
      return;
    }
    let cancelled = false;
    checkDatasourceHealth(getBackendSrv(), datasourceUid).then((result) => !cancelled && setHealth(result));
    return () => {
      cancelled = true;
    };
  }, [datasourceUid]);

  return (
    <PluginPage>
      <div data-testid="seismo-overview">
        {!datasourceUid ? (
          <Alert severity="info" title="Choose a Seismo datasource">
            The app reads anomalies, incidents and root causes through a Seismo Anomaly datasource. Pick one on the
            configuration page.
            <div>
              <LinkButton href={`/plugins/${APP_ID}`} icon="cog" variant="secondary">
                Open configuration
              </LinkButton>
            </div>
          </Alert>
        ) : !health ? (
          <LoadingPlaceholder text="Checking the Seismo datasource" />
        ) : (
          <Alert
            severity={health.status === 'OK' ? 'success' : 'error'}
            title={health.status === 'OK' ? 'Seismo datasource is healthy' : 'Seismo datasource is not healthy'}
          >
            {health.message}
          </Alert>
        )}
      </div>
    </PluginPage>
  );
}
