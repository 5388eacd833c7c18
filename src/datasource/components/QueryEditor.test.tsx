import React from 'react';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { CoreApp, dateTime } from '@grafana/data';

import type { SeismoDataSource } from '../SeismoDataSource';
import type { SeismoQuery } from '../types';
import { QueryEditor } from './QueryEditor';

// Combobox menus watch their scroll position, for which jsdom has no IntersectionObserver, and
// render only the options that fit the menu, which jsdom measures as zero pixels tall.
const sizes = ['clientHeight', 'clientWidth'].map(
  (name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)] as const
);
afterAll(() => {
  for (const [name, descriptor] of sizes) {
    if (descriptor) {
      Object.defineProperty(HTMLElement.prototype, name, descriptor);
    }
  }
});
beforeAll(() => {
  for (const [name] of sizes) {
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => 300 });
  }
  class NoIntersections {
    observe() {}
    unobserve() {}
    disconnect() {}
    takeRecords() {
      return [];
    }
  }
  Object.defineProperty(window, 'IntersectionObserver', { configurable: true, writable: true, value: NoIntersections });
});

const range = { from: dateTime(1772362800000), to: dateTime(1772366400000), raw: { from: 'now-1h', to: 'now' } };

function fakeDatasource(overrides: Partial<Record<'listServices' | 'listEdges' | 'listSignals', jest.Mock>> = {}) {
  return {
    listServices: jest.fn().mockResolvedValue(['cart', 'checkout', 'payment']),
    listEdges: jest.fn().mockResolvedValue([
      { client: 'frontend', server: 'cart' },
      { client: 'frontend', server: 'checkout' },
      { client: 'cart', server: 'redis' },
    ]),
    listSignals: jest.fn().mockResolvedValue([
      {
        name: 'latency_p95',
        scope: 'service',
        unit: 'seconds',
        grafanaUnit: 's',
        description: '95th percentile latency',
      },
      { name: 'error_ratio', scope: 'service', unit: 'ratio (0-1)', grafanaUnit: 'percentunit', description: 'errors' },
    ]),
    ...overrides,
  } as unknown as SeismoDataSource;
}

function renderEditor(query: SeismoQuery, options: { app?: CoreApp; datasource?: SeismoDataSource } = {}) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const datasource = options.datasource ?? fakeDatasource();
  const view = render(
    <QueryEditor
      datasource={datasource}
      query={query}
      onChange={onChange}
      onRunQuery={onRunQuery}
      range={range}
      app={options.app}
    />
  );
  return { ...view, onChange, onRunQuery, datasource };
}

async function openPicker(id: string) {
  const input = document.getElementById(id) as HTMLInputElement;
  expect(input).not.toBeNull();
  await act(async () => {
    fireEvent.click(input);
  });
  return input;
}

describe('QueryEditor', () => {
  it('switches the query type with defaults and runs the new query', async () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'anomalyScore', service: 'cart' });
    await openPicker('query-type');
    fireEvent.click(await screen.findByRole('option', { name: /Forecast/ }));
    expect(onChange).toHaveBeenCalledWith({
      refId: 'A',
      queryType: 'forecast',
      service: 'cart',
      scope: 'service',
      signal: 'latency_p95',
    });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('offers the services of the time range in the service picker', async () => {
    const { onChange, datasource } = renderEditor({ refId: 'A', queryType: 'anomalyScore' });
    await openPicker('query-service');
    expect(await screen.findByRole('option', { name: 'checkout' })).toBeInTheDocument();
    expect(datasource.listServices).toHaveBeenCalledWith(range);
    fireEvent.click(screen.getByRole('option', { name: 'payment' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'anomalyScore', service: 'payment' });
  });

  it('offers the servers the chosen client calls', async () => {
    renderEditor({ refId: 'A', queryType: 'edgeScore', client: 'frontend' });
    await openPicker('query-server');
    expect(await screen.findByRole('option', { name: 'cart' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'checkout' })).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: 'redis' })).toBeNull();
  });

  it('offers the canonical signals of the scope', async () => {
    const { datasource } = renderEditor({ refId: 'A', queryType: 'signal', scope: 'service', service: 'cart' });
    await openPicker('query-signal');
    expect(await screen.findByRole('option', { name: /error_ratio/ })).toBeInTheDocument();
    expect(datasource.listSignals).toHaveBeenCalledWith('service');
  });

  it('says why a picker is empty when its resource fails', async () => {
    const datasource = fakeDatasource({
      listServices: jest.fn().mockRejectedValue({ data: { error: 'Prometheus is unreachable at http://p:9090' } }),
    });
    renderEditor({ refId: 'A', queryType: 'anomalyScore' }, { datasource });
    await openPicker('query-service');
    expect(await screen.findByText('Prometheus is unreachable at http://p:9090')).toBeInTheDocument();
  });

  it('shows that a forecast needs a target and does not run it', () => {
    const { onRunQuery } = renderEditor({ refId: 'A', queryType: 'forecast', scope: 'service', signal: 'latency_p95' });
    expect(screen.getByText('a forecast needs a service')).toBeInTheDocument();
    fireEvent.blur(document.getElementById('query-step')!);
    expect(onRunQuery).not.toHaveBeenCalled();
  });

  it('asks an edge forecast for both ends', () => {
    renderEditor({ refId: 'A', queryType: 'forecast', scope: 'edge', client: 'frontend', signal: 'error_ratio' });
    expect(screen.getByText('an edge needs its server')).toBeInTheDocument();
    expect(document.getElementById('query-service')).toBeNull();
  });

  it('switches a forecast to an edge with a signal both scopes have', () => {
    const { onChange } = renderEditor({
      refId: 'A',
      queryType: 'forecast',
      scope: 'service',
      service: 'cart',
      signal: 'cpu_usage',
    });
    fireEvent.click(screen.getByRole('radio', { name: 'Call edge' }));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ scope: 'edge', signal: 'latency_p95' }));
  });

  it('keeps one forecast series when asked', async () => {
    const { onChange } = renderEditor({
      refId: 'A',
      queryType: 'forecast',
      scope: 'service',
      service: 'cart',
      signal: 'latency_p95',
    });
    await openPicker('query-quantity');
    fireEvent.click(await screen.findByRole('option', { name: 'anomalous' }));
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({ quantity: 'anomalous' }));
  });

  it('adds contributions to anomaly scores', () => {
    const { onChange, onRunQuery } = renderEditor({ refId: 'A', queryType: 'anomalyScore' });
    fireEvent.click(document.getElementById('query-contributions')!);
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'anomalyScore', contributions: true });
    expect(onRunQuery).toHaveBeenCalled();
  });

  it('picks an incident view and an incident for the timeline', () => {
    const { onChange, rerender, onRunQuery } = renderEditor({
      refId: 'A',
      queryType: 'incidents',
      incidentView: 'timeline',
    });
    fireEvent.change(document.getElementById('query-incident')!, { target: { value: 'inc-1772366700' } });
    expect(onChange).toHaveBeenLastCalledWith({
      refId: 'A',
      queryType: 'incidents',
      incidentView: 'timeline',
      incidentId: 'inc-1772366700',
    });
    fireEvent.click(screen.getByRole('radio', { name: 'Annotations' }));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ incidentView: 'annotations' }));
    expect(onRunQuery).toHaveBeenCalled();

    rerender(
      <QueryEditor
        datasource={fakeDatasource()}
        query={{ refId: 'A', queryType: 'incidents', incidentView: 'list' }}
        onChange={onChange}
        onRunQuery={onRunQuery}
        range={range}
      />
    );
    expect(document.getElementById('query-incident')).toBeNull();
    expect(document.getElementById('query-step')).toBeNull();
    expect(screen.getByText(/not usable in alert rules/)).toBeInTheDocument();
  });

  it('checks topology hops inline', () => {
    renderEditor({ refId: 'A', queryType: 'topology', hops: 2 });
    expect(screen.getByText(/hops counts from a focus service or from the anomalous nodes/)).toBeInTheDocument();
  });

  it('sets topology hops as a number', () => {
    const { onChange } = renderEditor({ refId: 'A', queryType: 'topology', service: 'cart' });
    fireEvent.change(document.getElementById('query-hops')!, { target: { value: '3' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'topology', service: 'cart', hops: 3 });
    fireEvent.click(document.getElementById('query-anomalous-only')!);
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ anomalousOnly: true }));
  });

  it('lists services or edges for a services query', () => {
    const { onChange } = renderEditor({ refId: 'A', queryType: 'services', scope: 'service' });
    fireEvent.click(screen.getByRole('radio', { name: 'Call edge' }));
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', queryType: 'services', scope: 'edge' });
  });

  it('marks a step that is not a duration', () => {
    renderEditor({ refId: 'A', queryType: 'edgeScore', step: '5 minutes' });
    expect(screen.getByText(/"5 minutes" is not a duration/)).toBeInTheDocument();
  });

  it('tells where the data comes from and whether alert rules can use it', () => {
    renderEditor({ refId: 'A', queryType: 'topology' });
    expect(screen.getByText(/From the Seismo sidecar; not usable in alert rules/)).toBeInTheDocument();
  });

  it('warns in an alert rule about variables and several forecast series', () => {
    renderEditor(
      { refId: 'A', queryType: 'forecast', scope: 'service', service: '$service', signal: 'latency_p95' },
      { app: CoreApp.UnifiedAlerting }
    );
    expect(screen.getByText('Before this query can drive an alert rule')).toBeInTheDocument();
    expect(screen.getByText(/service: alert rules do not interpolate variables/)).toBeInTheDocument();
    expect(screen.getByText(/quantity: an alert rule on a forecast should keep one series/)).toBeInTheDocument();
  });

  it('shows no alerting advice outside alert rules', () => {
    renderEditor({ refId: 'A', queryType: 'forecast', scope: 'service', service: '$service', signal: 'latency_p95' });
    expect(screen.queryByText('Before this query can drive an alert rule')).toBeNull();
  });

  it('runs a typed step on blur when the query is valid', async () => {
    const { onRunQuery } = renderEditor({ refId: 'A', queryType: 'anomalyScore', step: '1m' });
    fireEvent.blur(document.getElementById('query-step')!);
    await waitFor(() => expect(onRunQuery).toHaveBeenCalledTimes(1));
  });
});
