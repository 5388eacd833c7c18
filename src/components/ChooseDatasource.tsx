import React from 'react';
import { Alert, LinkButton } from '@grafana/ui';

import { CONFIG_URL } from '../types';

/** Shown instead of a page when the app cannot tell which Seismo datasource to read. */
export function ChooseDatasource() {
  return (
    <Alert severity="info" title="Choose a Seismo datasource">
      The app reads anomalies, incidents and root causes through a Seismo Anomaly datasource. Pick one on the
      configuration page.
      <div>
        <LinkButton href={CONFIG_URL} icon="cog" variant="secondary">
          Open configuration
        </LinkButton>
      </div>
    </Alert>
  );
}
