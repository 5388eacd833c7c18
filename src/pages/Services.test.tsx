import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';

import type { SelectionOverrides } from './api/sidecarTypes';
import { fakeBackendSrv, type FakeBackendSrv } from './testing/fakeBackendSrv';
import { NOW_SECONDS, selection, services } from './testing/fixtures';
import { Services } from './Services';

let mockBackend: FakeBackendSrv;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackend.srv,
  getDataSourceSrv: () => ({ getList: () => [] }),
  PluginPage: ({ children }: { children: React.ReactNode }) => <>{children}</>,
}));

function sidecarWithSelection(put: (overrides: SelectionOverrides) => { status: number; data?: unknown } | undefined) {
  let current = selection;
  return fakeBackendSrv({
    'GET sidecar/selection': () => ({ body: current }),
    'GET sidecar/services': { body: { at: NOW_SECONDS, services } },
    'PUT selection': (request) => {
      const failure = put(request.data as SelectionOverrides);
      if (failure) {
        return failure;
      }
      current = { ...current, overrides: request.data as SelectionOverrides };
      return { body: current };
    },
  });
}

describe('Services page', () => {
  it('lists every discovered service with whether it is monitored, why, and its detector', async () => {
    mockBackend = sidecarWithSelection(() => undefined);
    render(<Services settings={{ datasourceUid: 'seismo' }} />);
    const link = await screen.findByRole('link', { name: 'paymentservice' });
    expect(link).toHaveAttribute('href', '/d/seismo-service?var-namespace=boutique&var-service=paymentservice');
    expect(screen.getByText('exclude rule 1 (namespace kube-.*)')).toBeInTheDocument();
    expect(screen.getByText('override: exclude')).toBeInTheDocument();
    expect(screen.getAllByText('not monitored')).toHaveLength(2);
    expect(screen.getByText('5 of 7 monitored')).toBeInTheDocument();
  });

  it('stops monitoring a service by storing an exclude override in the sidecar', async () => {
    const sent: SelectionOverrides[] = [];
    mockBackend = sidecarWithSelection((overrides) => {
      sent.push(overrides);
      return undefined;
    });
    render(<Services settings={{ datasourceUid: 'seismo' }} />);
    fireEvent.click(await screen.findByLabelText('Monitor paymentservice'));
    expect(await screen.findByText(/paymentservice is no longer monitored/)).toBeInTheDocument();
    expect(sent).toEqual([{ include: [], exclude: ['loadgenerator', 'paymentservice'] }]);
    // The page reads the selection again, so what it shows is what the sidecar stored.
    await waitFor(() =>
      expect(mockBackend.requests.filter((r) => r.url.endsWith('sidecar/selection')).length).toBeGreaterThan(1)
    );
  });

  it('returns an overridden service to the config rules', async () => {
    const sent: SelectionOverrides[] = [];
    mockBackend = sidecarWithSelection((overrides) => {
      sent.push(overrides);
      return undefined;
    });
    render(<Services settings={{ datasourceUid: 'seismo' }} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Use config rules' }));
    await screen.findByText(/loadgenerator follows the config's rules again/);
    expect(sent).toEqual([{ include: [], exclude: [] }]);
  });

  it('shows why a save was refused', async () => {
    mockBackend = sidecarWithSelection(() => ({
      status: 400,
      data: { error: { message: 'exclude: at most 1000 services' } },
    }));
    render(<Services settings={{ datasourceUid: 'seismo' }} />);
    fireEvent.click(await screen.findByLabelText('Monitor frontend'));
    expect(await screen.findByText('exclude: at most 1000 services')).toBeInTheDocument();
    expect(screen.getByText('The request was refused')).toBeInTheDocument();
  });

  it('filters by name, namespace or team', async () => {
    mockBackend = sidecarWithSelection(() => undefined);
    render(<Services settings={{ datasourceUid: 'seismo' }} />);
    await screen.findByRole('link', { name: 'paymentservice' });
    fireEvent.change(screen.getByPlaceholderText('Filter by service, namespace or team'), {
      target: { value: 'payments' },
    });
    expect(screen.getByRole('link', { name: 'paymentservice' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'frontend' })).not.toBeInTheDocument();
  });
});
