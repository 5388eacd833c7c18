import React from 'react';
import { render, screen, within } from '@testing-library/react';

import { loadFixtureFrames } from '../shared/loadFixtureFrames';
import { panelTestProps } from '../shared/panelTestProps';
import { TemperaturePanel } from './TemperaturePanel';
import { DEFAULT_TEMPERATURE_OPTIONS, type TemperatureOptions } from './types';

const props = (series = loadFixtureFrames('delay-one-edge', 'timeline', 'tolerated')) =>
  panelTestProps<TemperatureOptions>(series, DEFAULT_TEMPERATURE_OPTIONS, undefined, { width: 900, height: 500 });

describe('TemperaturePanel', () => {
  it('shows SEV2 for the single-edge delay, with the edge affected', () => {
    render(<TemperaturePanel {...props()} />);
    expect(screen.getByTestId('severity-badge')).toHaveTextContent('SEV2');
    const edge = within(screen.getByTestId('accumulators')).getByText('frontend->shippingservice').closest('tr')!;
    expect(edge).toHaveAttribute('data-over', 'true');
    expect(screen.getByTestId('temperature-chart').querySelectorAll('[data-severity="SEV2"]')).toHaveLength(1);
  });

  it('says why each tolerated spike did not open an incident', () => {
    render(<TemperaturePanel {...props()} />);
    const cart = within(screen.getByTestId('tolerated')).getAllByText('cartservice')[0]!.closest('li')!;
    expect(cart).toHaveTextContent('leaked back to 0 after 2 normal intervals (peak 4.0)');
  });

  it('explains which frames it needs when there are none', () => {
    render(<TemperaturePanel {...props([])} />);
    expect(screen.getByText(/No incident frames/)).toBeInTheDocument();
  });
});
