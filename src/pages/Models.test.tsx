import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { fakeBackendSrv, type FakeBackendSrv } from './testing/fakeBackendSrv';
import { forecastTargets, manifest, models } from './testing/fixtures';
import { Models } from './Models';

let mockBackend: FakeBackendSrv;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend.srv,
  getDataSourceSrv: () => ({ getList: () => [] }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <>{children}</>,
}));

describe('Models page', () => {
  it('lists loaded models and loads a manifest with calibration and provenance on demand', async () => {
    mockBackend = fakeBackendSrv({
      'GET sidecar/models': { body: { models, lastError: null } },
      'GET sidecar/forecasts': { body: { targets: forecastTargets } },
      'GET sidecar/models/seismo-default-synthetic-v1/manifest': { body: manifest },
    });
    render(<Models settings={{ datasourceUid: 'seismo' }} />);
    expect(await screen.findByText('seismo-default-synthetic-v1')).toBeInTheDocument();
    expect(screen.getByText('shared by all services')).toBeInTheDocument();
    expect(mockBackend.requests.some((r) => r.url.endsWith('/manifest'))).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: /expand/i }));
    expect(await screen.findByText('Training provenance')).toBeInTheDocument();
    expect(screen.getByText('87490b93bea1a89e44aaada33de73b496589c0c7')).toBeInTheDocument();
    expect(screen.getByText('1.7822')).toBeInTheDocument();
  });

  it('shows forecaster quality with what needs attention, and a refused model load', async () => {
    mockBackend = fakeBackendSrv({
      'GET sidecar/models': {
        body: { models, lastError: 'manifest.json: window.length 30 does not match the ONNX input 60' },
      },
      'GET sidecar/forecasts': { body: { targets: forecastTargets } },
    });
    render(<Models settings={{ datasourceUid: 'seismo' }} />);
    expect(await screen.findByText(/does not match the ONNX input/)).toBeInTheDocument();
    expect(screen.getByText(/MASE 1.30: no better than seasonal naive/)).toBeInTheDocument();
    expect(
      screen.getByText(/3 targets: 1 ok, 1 on the robust band, 1 warming up. Median MASE 0.95/)
    ).toBeInTheDocument();
  });

  it('says when no model is loaded', async () => {
    mockBackend = fakeBackendSrv({
      'GET sidecar/models': { body: { models: [] } },
      'GET sidecar/forecasts': { body: { targets: [] } },
    });
    render(<Models settings={{ datasourceUid: 'seismo' }} />);
    expect(await screen.findByText(/No model is loaded/)).toBeInTheDocument();
    expect(screen.getByText(/No forecast targets/)).toBeInTheDocument();
  });
});
