import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { render, screen } from '@testing-library/react';
import { type AppPluginMeta, type AppRootProps, PluginType } from '@grafana/data';

import { fakeBackendSrv, type FakeBackendSrv } from '../pages/testing/fakeBackendSrv';
import type { AppSettings } from '../types';
import { App } from './App';

let mockBackend: FakeBackendSrv;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend.srv,
  getDataSourceSrv: () => ({ getList: () => [] }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <>{children}</>,
}));

function renderAt(path: string) {
  const meta = { id: 'seismo-aiops-app', type: PluginType.app, jsonData: {} } as unknown as AppPluginMeta<AppSettings>;
  const props = { meta, basename: '/a/seismo-aiops-app', query: {}, path: '', onNavChanged: () => undefined };
  return render(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <App {...(props as unknown as AppRootProps<AppSettings>)} />
    </MemoryRouter>
  );
}

describe('App routes', () => {
  beforeEach(() => {
    mockBackend = fakeBackendSrv({});
  });

  it.each([
    ['/overview', 'seismo-overview'],
    ['/services', 'seismo-services'],
    ['/incidents', 'seismo-incidents'],
    ['/incidents/inc-1', 'seismo-incident'],
    ['/models', 'seismo-models'],
    ['/', 'seismo-overview'],
    ['/no-such-page', 'seismo-overview'],
  ])('%s shows the %s page', (path, testId) => {
    renderAt(path);
    expect(screen.getByTestId(testId)).toBeInTheDocument();
  });
});
