import React from 'react';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';

import { loadFixtureFrames } from '../shared/loadFixtureFrames';
import { panelTestProps } from '../shared/panelTestProps';
import { createTopologyPanel } from './createTopologyPanel';
import { DEFAULT_TOPOLOGY_OPTIONS, type TopologyOptions } from './types';

const TopologyPanel = createTopologyPanel();
const frames = loadFixtureFrames('delay-one-edge', 'topology', 'rootcause');
const props = (options: Partial<TopologyOptions> = {}) =>
  panelTestProps<TopologyOptions>(frames, { ...DEFAULT_TOPOLOGY_OPTIONS, ...options });

const node = (container: HTMLElement, id: string) => container.querySelector(`[data-node-id="${id}"]`);

async function renderLaidOut(options: Partial<TopologyOptions> = {}) {
  const result = render(<TopologyPanel {...props(options)} />);
  await waitFor(() => expect(screen.getByTestId('seismo-topology-panel')).toHaveAttribute('data-layout', 'done'));
  return result;
}

describe('TopologyPanel', () => {
  it('draws the faulted service anomalous and ranks it first', async () => {
    const { container } = await renderLaidOut();
    expect(node(container, 'shippingservice')).toHaveAttribute('data-health', 'anomalous');
    const first = screen.getAllByTestId('root-cause-item')[0]!;
    expect(first).toHaveAttribute('data-service', 'shippingservice');
    expect(first).toHaveTextContent('#1 shippingservice');
  });

  it('never draws a service without a verdict as healthy', async () => {
    const { container } = await renderLaidOut();
    expect(node(container, 'redis-cart')).toHaveAttribute('data-health', 'unknown');
    expect(node(container, 'emailservice')).toHaveAttribute('data-health', 'warmup');
    expect(node(container, 'adservice')).toHaveAttribute('data-health', 'fallback');
  });

  it('highlights the blast radius of the selected service: its callers, up to the entry point', async () => {
    const { container } = await renderLaidOut();
    fireEvent.click(screen.getAllByTestId('root-cause-item')[0]!);
    expect(screen.getByTestId('blast-radius-summary')).toHaveTextContent('frontend, checkoutservice, loadgenerator');
    for (const id of ['shippingservice', 'frontend', 'checkoutservice', 'loadgenerator']) {
      expect(node(container, id)).toHaveAttribute('data-dim', 'false');
    }
    expect(node(container, 'paymentservice')).toHaveAttribute('data-dim', 'true');
    expect(container.querySelector('[data-edge-id="frontend->shippingservice"]')).toHaveAttribute(
      'data-highlighted',
      'true'
    );
    expect(node(container, 'shippingservice')).toHaveAttribute('data-selected', 'true');
  });

  it('selects a service from the keyboard', async () => {
    const { container } = await renderLaidOut();
    const cart = node(container, 'cartservice') as HTMLElement;
    cart.focus();
    fireEvent.keyDown(cart, { key: 'Enter' });
    expect(within(screen.getByTestId('selected-service')).getByText(/cartservice/)).toBeInTheDocument();
    expect(cart).toHaveAttribute('aria-pressed', 'true');
  });

  it('keeps only the anomalous services and their neighbours within k hops', async () => {
    const { container } = await renderLaidOut({ anomalousOnly: true, hops: 0 });
    const shown = [...container.querySelectorAll('[data-node-id]')].map((el) => el.getAttribute('data-node-id')).sort();
    expect(shown).toEqual(['frontend', 'shippingservice']);
    fireEvent.click(screen.getByLabelText('1'));
    await waitFor(() => expect(node(container, 'checkoutservice')).not.toBeNull());
    expect(node(container, 'redis-cart')).toBeNull();
    expect(node(container, 'paymentservice')).toBeNull();
  });

  it('collapses namespaces with the worst class of their members', async () => {
    const { container } = await renderLaidOut({ groupByNamespace: true });
    expect(node(container, 'namespace:boutique')).toHaveAttribute('data-health', 'anomalous');
  });

  it('finds services by name', async () => {
    const { container } = await renderLaidOut();
    fireEvent.change(screen.getByLabelText('Search services'), { target: { value: 'cart' } });
    expect(screen.getByTestId('search-count')).toHaveTextContent('2');
    expect(node(container, 'frontend')).toHaveAttribute('data-dim', 'true');
    expect(node(container, 'redis-cart')).toHaveAttribute('data-dim', 'false');
  });

  it('links a selected service to Explore with the Seismo datasource and to its dashboard', async () => {
    await renderLaidOut({ serviceDashboardUrl: '/d/svc/service?var-service=${service}' });
    fireEvent.click(screen.getAllByTestId('root-cause-item')[0]!);
    const links = within(screen.getByTestId('selected-service')).getAllByRole('link');
    const hrefs = links.map((link) => decodeURIComponent(link.getAttribute('href')!));
    expect(hrefs[0]).toBe('/d/svc/service?var-service=shippingservice&from=1699999400000&to=1700000240000');
    expect(hrefs[1]).toContain('"queryType":"anomalyScore","service":"shippingservice"');
    expect(hrefs[1]).toContain('"uid":"seismo-test"');
  });

  it('replays the spread: before the onset the faulted service is not yet anomalous', async () => {
    const { container } = await renderLaidOut();
    fireEvent.click(screen.getByText('Replay'));
    fireEvent.change(screen.getByTestId('replay-slider'), { target: { value: String(1699999500000) } });
    expect(node(container, 'shippingservice')).toHaveAttribute('data-health', 'healthy');
    expect(node(container, 'redis-cart')).toHaveAttribute('data-health', 'unknown');
    fireEvent.change(screen.getByTestId('replay-slider'), { target: { value: String(1700000050000) } });
    expect(node(container, 'shippingservice')).toHaveAttribute('data-health', 'anomalous');
    expect(node(container, 'frontend')).toHaveAttribute('data-health', 'healthy');
  });

  it('explains which frames it needs when there are none', () => {
    render(<TopologyPanel {...panelTestProps<TopologyOptions>([], DEFAULT_TOPOLOGY_OPTIONS)} />);
    expect(screen.getByText(/No nodes frame/)).toBeInTheDocument();
  });
});
