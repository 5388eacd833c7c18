import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { fireEvent, render, screen, within } from '@testing-library/react';

import type { FeedbackInput } from './api/sidecarTypes';
import { fakeBackendSrv, type FakeBackendSrv } from './testing/fakeBackendSrv';
import { incidentDetail, NOW_SECONDS } from './testing/fixtures';
import { IncidentDetail } from './IncidentDetail';

let mockBackend: FakeBackendSrv;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend.srv,
  getDataSourceSrv: () => ({ getList: () => [] }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <>{children}</>,
}));

const now = () => NOW_SECONDS * 1000;

function renderIncident(id: string) {
  return render(
    <MemoryRouter
      initialEntries={[`/incidents/${id}`]}
      future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
    >
      <Routes>
        <Route path="incidents/:id" element={<IncidentDetail settings={{ datasourceUid: 'seismo' }} now={now} />} />
      </Routes>
    </MemoryRouter>
  );
}

describe('Incident detail page', () => {
  it('shows the rule that opened it, its timeline and the ranked root causes with evidence', async () => {
    mockBackend = fakeBackendSrv({ 'GET sidecar/incidents/inc-1700000450': { body: incidentDetail } });
    renderIncident('inc-1700000450');
    expect(await screen.findByText(incidentDetail.rule!)).toBeInTheDocument();
    expect(screen.getByLabelText('Incident temperature')).toBeInTheDocument();
    const ranking = screen.getByRole('heading', { name: 'Probable root causes' }).closest('section')!;
    const rows = within(ranking).getAllByRole('row').slice(1);
    expect(within(rows[0]!).getByText('paymentservice')).toBeInTheDocument();
    expect(
      within(rows[0]!).getByText('paymentservice stopped answering first; its callers followed')
    ).toBeInTheDocument();
    expect(within(rows[1]!).getByText('paymentservice (80 %)')).toBeInTheDocument();
    expect(screen.getByText('edge series for redis-cart missing')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Incident dashboard/ })).toHaveAttribute(
      'href',
      '/d/seismo-incident?var-incident=inc-1700000450&from=1699999550000&to=now'
    );
  });

  it('sends feedback for every affected entity and shows the stored feedback', async () => {
    const received: FeedbackInput[] = [];
    let detail = incidentDetail;
    mockBackend = fakeBackendSrv({
      'GET sidecar/incidents/inc-1700000450': () => ({ body: detail }),
      'POST feedback': (request) => {
        const item = request.data as FeedbackInput;
        received.push(item);
        detail = {
          ...detail,
          feedback: [...(detail.feedback ?? []), { ...item, id: `fb-${received.length}`, receivedAt: NOW_SECONDS }],
        };
        return { body: { ...item, id: `fb-${received.length}` } };
      },
    });
    renderIncident('inc-1700000450');
    fireEvent.change(await screen.findByLabelText('Note (optional)'), { target: { value: 'load test' } });
    fireEvent.click(screen.getByRole('button', { name: 'False positive' }));
    expect(await screen.findByText('Stored for 2 affected entities.')).toBeInTheDocument();
    expect(received.map((item) => [item.kind, item.scope, item.entity, item.from, item.to, item.note])).toEqual([
      ['false_positive', 'service', 'paymentservice', 1_700_000_450, NOW_SECONDS, 'load test'],
      ['false_positive', 'edge', 'checkoutservice->paymentservice', 1_700_000_450, NOW_SECONDS, 'load test'],
    ]);
    expect(await screen.findAllByText('false positive')).toHaveLength(2);
  });

  it('says when the incident is unknown', async () => {
    mockBackend = fakeBackendSrv({
      'GET sidecar/incidents/inc-1': { status: 404, data: { error: { message: 'no incident inc-1' } } },
    });
    renderIncident('inc-1');
    expect(await screen.findByText('no incident inc-1')).toBeInTheDocument();
    expect(screen.getByText('Not found')).toBeInTheDocument();
  });
});
