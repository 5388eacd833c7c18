import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';

import { fakeBackendSrv, type FakeBackendSrv } from './testing/fakeBackendSrv';
import { closedIncident, NOW_SECONDS, openIncident } from './testing/fixtures';
import { Incidents } from './Incidents';

let mockBackend: FakeBackendSrv;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend.srv,
  getDataSourceSrv: () => ({ getList: () => [] }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <>{children}</>,
}));

const now = () => NOW_SECONDS * 1000;

describe('Incidents page', () => {
  it('lists open incidents before closed ones with severity, duration and root cause', async () => {
    mockBackend = fakeBackendSrv({ 'GET sidecar/incidents': { body: { incidents: [closedIncident, openIncident] } } });
    render(<Incidents settings={{ datasourceUid: 'seismo' }} now={now} />);
    const links = await screen.findAllByRole('link');
    expect(links.map((link) => link.textContent)).toEqual(['inc-1700000450', 'inc-1699990000']);
    const openRow = links[0]!.closest('tr')!;
    expect(within(openRow).getByText('SEV1')).toBeInTheDocument();
    expect(within(openRow).getByText('9 min 10 s so far')).toBeInTheDocument();
    expect(within(links[1]!.closest('tr')!).getByText('10 min')).toBeInTheDocument();
    expect(mockBackend.requests[0]!.params).toEqual({ state: 'all', from: 'now-24h' });
  });

  it('asks the sidecar again for another state and range', async () => {
    mockBackend = fakeBackendSrv({ 'GET sidecar/incidents': { body: { incidents: [] } } });
    render(<Incidents settings={{ datasourceUid: 'seismo' }} now={now} />);
    expect(await screen.findByText('No incidents in this range')).toBeInTheDocument();
    fireEvent.click(screen.getByLabelText('Open'));
    fireEvent.click(screen.getByLabelText('Last 7 days'));
    await waitFor(() => expect(mockBackend.requests.at(-1)!.params).toEqual({ state: 'open', from: 'now-7d' }));
  });
});
