import React from 'react';
import { render, screen } from '@testing-library/react';
import { type AppPluginMeta, PluginType } from '@grafana/data';

import { fakeBackendSrv, type FakeBackendSrv } from '../pages/testing/fakeBackendSrv';
import type { AppSettings } from '../types';
import { AppConfig, type AppConfigProps } from './AppConfig';

let mockBackend: FakeBackendSrv;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend.srv,
  DataSourcePicker: ({ current }: { current: string | null }) => <div>picker: {current ?? 'none'}</div>,
}));

function props(jsonData: AppSettings): AppConfigProps {
  const meta = {
    id: 'seismo-aiops-app',
    name: 'Seismo AIOps',
    type: PluginType.app,
    enabled: true,
    pinned: true,
    jsonData,
    info: {} as AppPluginMeta['info'],
    module: '',
    baseUrl: '',
  } as AppPluginMeta<AppSettings>;
  return { plugin: { meta } as AppConfigProps['plugin'], query: {} };
}

describe('AppConfig', () => {
  it("runs the chosen datasource's health check and shows its answer", async () => {
    mockBackend = fakeBackendSrv({
      'GET /api/datasources/uid/seismo/health': { body: { status: 'OK', message: 'Prometheus and sidecar reachable' } },
    });
    render(<AppConfig {...props({ datasourceUid: 'seismo' })} />);
    expect(await screen.findByText('The datasource is healthy')).toBeInTheDocument();
    expect(screen.getByText('Prometheus and sidecar reachable')).toBeInTheDocument();
  });

  it('says what failed and where to fix it', async () => {
    mockBackend = fakeBackendSrv({
      'GET /api/datasources/uid/seismo/health': {
        status: 400,
        data: { status: 'ERROR', message: 'sidecar: 401 Unauthorized, check the token' },
      },
    });
    render(<AppConfig {...props({ datasourceUid: 'seismo' })} />);
    expect(await screen.findByText('The datasource is not healthy')).toBeInTheDocument();
    expect(screen.getByText('sidecar: 401 Unauthorized, check the token')).toBeInTheDocument();
  });

  it('checks nothing until a datasource is chosen', () => {
    mockBackend = fakeBackendSrv({});
    render(<AppConfig {...props({})} />);
    expect(screen.getByText('picker: none')).toBeInTheDocument();
    expect(mockBackend.requests).toEqual([]);
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });
});
