import React, { type ReactNode } from 'react';
import { PluginPage } from '@grafana/runtime';

import type { AppSettings } from '../types';
import { ChooseDatasource } from './ChooseDatasource';
import { type SeismoConnection, useSeismoClient } from './useSeismoClient';

interface Props {
  settings: AppSettings;
  testId: string;
  children: (connection: SeismoConnection) => ReactNode;
}

/** Frame of every app page: Grafana's page chrome and the datasource the page reads. */
export function SeismoPage({ settings, testId, children }: Props) {
  const connection = useSeismoClient(settings);
  return (
    <PluginPage>
      <div data-testid={testId}>{connection ? children(connection) : <ChooseDatasource />}</div>
    </PluginPage>
  );
}
