import React from 'react';
import { render, screen } from '@testing-library/react';

import { fakeBackendSrv, type FakeBackendSrv } from './testing/fakeBackendSrv';
import { closedIncident, edges, NOW_SECONDS, openIncident, services, status } from './testing/fixtures';
import { topologyFrames } from './testing/topologyFrames';
import { Overview } from './Overview';

let mockBackend: FakeBackendSrv;
let mockDatasources: Array<{ uid: string }> = [];
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend.srv,
  getDataSourceSrv: () => ({ getList: () => mockDatasources }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <>{children}</>,
}));

const now = () => NOW_SECONDS * 1000;
const healthySidecar = {
  'GET sidecar/status': { body: status },
  'GET sidecar/incidents': { body: { incidents: [openIncident, closedIncident] } },
  'GET sidecar/services': { body: { at: NOW_SECONDS, services } },
  'GET sidecar/edges': { body: { at: NOW_SECONDS, edges } },
  'GET sidecar/topology': { body: { frames: topologyFrames } },
};

describe('Overview page', () => {
  beforeEach(() => {
    mockDatasources = [];
  });

  it('asks for a datasource when none is chosen and there is no single one to use', () => {
    mockBackend = fakeBackendSrv({});
    render(<Overview settings={{}} now={now} />);
    expect(screen.getByText('Choose a Seismo datasource')).toBeInTheDocument();
    expect(mockBackend.requests).toEqual([]);
  });

  it('shows open incidents with severity and root cause, the top scores and detectors without a verdict', async () => {
    mockBackend = fakeBackendSrv(healthySidecar);
    render(<Overview settings={{ datasourceUid: 'seismo' }} now={now} />);

    const incident = await screen.findByRole('link', { name: 'inc-1700000450' });
    expect(incident).toHaveAttribute('href', '/a/seismo-aiops-app/incidents/inc-1700000450');
    expect(screen.getByText('SEV1')).toBeInTheDocument();
    expect(screen.getAllByText('paymentservice').length).toBeGreaterThan(0);
    expect(screen.queryByText('inc-1699990000')).not.toBeInTheDocument();

    expect(screen.getByText('99 % / 95 % (anomalous)')).toBeInTheDocument();
    expect(screen.getByText('latency_p95 62 %, error_ratio 20 %')).toBeInTheDocument();
    expect(screen.getByText('checkoutservice → paymentservice')).toBeInTheDocument();
    expect(screen.getByText('no data for 5 min')).toBeInTheDocument();
    expect(screen.getByText(/last cycle 10 s ago/)).toBeInTheDocument();
    expect(await screen.findByLabelText('Service topology')).toBeInTheDocument();

    expect(mockBackend.requests.find((r) => r.url.endsWith('sidecar/incidents'))!.params).toEqual({ state: 'open' });
  });

  it('says the sidecar is unreachable and how to fix it', async () => {
    mockBackend = fakeBackendSrv({
      ...healthySidecar,
      'GET sidecar/status': { status: 502, data: { error: 'sidecar: dial tcp 10.0.0.3:8080: connection refused' } },
    });
    render(<Overview settings={{ datasourceUid: 'seismo' }} now={now} />);
    expect(await screen.findByText('The Seismo sidecar is unreachable')).toBeInTheDocument();
    expect(screen.getByText(/connection refused/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Open datasource settings/ })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/seismo'
    );
  });

  it('says so when nothing is open and warns when the sidecar cannot reach Prometheus', async () => {
    mockBackend = fakeBackendSrv({
      ...healthySidecar,
      'GET sidecar/status': {
        body: { ...status, lastCycle: { ...status.lastCycle, prometheusUp: false, error: 'connection refused' } },
      },
      'GET sidecar/incidents': { body: { incidents: [] } },
    });
    render(<Overview settings={{ datasourceUid: 'seismo' }} now={now} />);
    expect(await screen.findByText('No open incidents')).toBeInTheDocument();
    expect(screen.getByText('The sidecar cannot reach Prometheus')).toBeInTheDocument();
  });

  it('uses the only Seismo datasource when none is chosen, and says so', async () => {
    mockDatasources = [{ uid: 'only-one' }];
    mockBackend = fakeBackendSrv(healthySidecar, 'only-one');
    render(<Overview settings={{}} now={now} />);
    expect(await screen.findByText('Reading the only Seismo datasource (only-one)')).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'inc-1700000450' })).toBeInTheDocument();
  });
});
