import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';

import { loadFixtureFrames } from '../shared/loadFixtureFrames';
import { panelTestProps } from '../shared/panelTestProps';
import { createForecastPanel } from './createForecastPanel';
import type { WindowSource } from './inspector/WindowSource';
import { DEFAULT_FORECAST_OPTIONS, type ForecastOptions } from './types';

const frames = loadFixtureFrames('delay-one-edge', 'forecast');
const windowFixture = JSON.parse(
  require('fs').readFileSync(
    require('path').join(__dirname, '../../../tests/browser/fixtures/delay-one-edge/sidecar/window.json'),
    'utf8'
  )
);
const manifest = JSON.parse(
  require('fs').readFileSync(
    require('path').join(__dirname, '../../../backend-sidecar/models/default/manifest.json'),
    'utf8'
  )
);

function fakeSource(): WindowSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    window: async (service, at) => {
      calls.push(`window ${service} ${at}`);
      return { ...windowFixture, service };
    },
    manifest: async (id) => {
      calls.push(`manifest ${id}`);
      return manifest;
    },
    onnx: async (id) => {
      calls.push(`onnx ${id}`);
      return new Uint8Array([1, 2, 3]);
    },
  };
}

// jsdom has no 2D canvas: a stand-in that measures text (for Grafana's Combobox) and records the
// images the heatmaps put.
const images: Array<{ width: number; height: number }> = [];
const getContext = HTMLCanvasElement.prototype.getContext;
beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = (() => ({
    measureText: (text: string) => ({ width: String(text).length * 7 }),
    createImageData: (width: number, height: number) => ({
      width,
      height,
      data: new Uint8ClampedArray(width * height * 4),
    }),
    putImageData: (image: { width: number; height: number }) =>
      images.push({ width: image.width, height: image.height }),
  })) as unknown as typeof getContext;
});
afterAll(() => {
  HTMLCanvasElement.prototype.getContext = getContext;
});

describe('ForecastPanel', () => {
  const Panel = createForecastPanel({
    windowSource: () => fakeSource(),
    createRun: async () => ({ run: async (input) => input.slice(), release: async () => undefined }),
  });

  it('draws actual, forecast and band for the first target, with gaps as gaps', () => {
    const { container } = render(<Panel {...panelTestProps<ForecastOptions>(frames, DEFAULT_FORECAST_OPTIONS)} />);
    const actual = container.querySelector('[data-testid="forecast-actual"]')!.getAttribute('d')!;
    // the recorded scrape gap splits the actual line into two pieces
    expect(actual.match(/M/g)).toHaveLength(2);
    expect(
      container.querySelector('[data-testid="forecast-yhat"]')!.getAttribute('d')!.match(/M/g)!.length
    ).toBeGreaterThan(1);
    expect(screen.getAllByTestId('forecast-anomaly').length).toBeGreaterThan(0);
    expect(screen.getByTestId('forecast-accuracy')).toHaveTextContent(/MAE\s*\d/);
    expect(screen.getByTestId('forecast-accuracy')).toHaveTextContent('ok (mstl)');
  });

  it('offers the targets when several arrive', () => {
    render(<Panel {...panelTestProps<ForecastOptions>(frames, DEFAULT_FORECAST_OPTIONS)} />);
    expect(screen.getByLabelText('Target')).toHaveValue('frontend → shippingservice · latency_p95');
    expect(screen.getByTestId('forecast-chart')).toHaveAttribute(
      'aria-label',
      'Actual and forecast of frontend → shippingservice · latency_p95'
    );
  });

  it("opens the window inspector on the target's service and scores the window in the browser", async () => {
    const source = fakeSource();
    const Inspecting = createForecastPanel({
      windowSource: () => source,
      createRun: async () => ({ run: async (input) => input.slice(), release: async () => undefined }),
    });
    render(
      <Inspecting {...panelTestProps<ForecastOptions>(frames, { ...DEFAULT_FORECAST_OPTIONS, display: 'inspector' })} />
    );
    await waitFor(() => expect(screen.getByTestId('inspector-score')).toBeInTheDocument());
    // a perfect reconstruction scores 0
    expect(screen.getByTestId('inspector-score')).toHaveAttribute('data-score', '0');
    // input, reconstruction and error: signals × steps each
    await waitFor(() => expect(images.slice(-3)).toEqual(Array(3).fill({ width: 60, height: 12 })));
    expect(source.calls).toEqual([
      'window shippingservice 1700000240',
      'manifest seismo-default-synthetic-v2',
      'onnx seismo-default-synthetic-v2',
    ]);
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'frontend' } });
    fireEvent.click(screen.getByText('Inspect'));
    await waitFor(() => expect(source.calls).toContain('window frontend 1700000240'));
    // the model session is reused
    expect(source.calls.filter((call) => call.startsWith('onnx'))).toHaveLength(1);
  });

  it('shows why a window cannot be scored', async () => {
    const source = fakeSource();
    source.window = async () => ({
      ...windowFixture,
      raw: windowFixture.raw.map((row: number[], s: number) => (s === 0 ? [null, ...row.slice(1)] : row)),
    });
    const Inspecting = createForecastPanel({
      windowSource: () => source,
      createRun: async () => ({ run: async (input) => input.slice(), release: async () => undefined }),
    });
    render(
      <Inspecting {...panelTestProps<ForecastOptions>(frames, { ...DEFAULT_FORECAST_OPTIONS, display: 'inspector' })} />
    );
    await waitFor(() =>
      expect(screen.getByTestId('inspector-error')).toHaveTextContent(/request_rate has no value at step 1 of 60/)
    );
  });

  it('explains which frames it needs when there are none', () => {
    render(<Panel {...panelTestProps<ForecastOptions>([], DEFAULT_FORECAST_OPTIONS)} />);
    expect(screen.getByText(/No forecast in the query result/)).toBeInTheDocument();
  });
});
