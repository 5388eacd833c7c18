import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';

import { loadFixtureFrames } from '../shared/loadFixtureFrames';
import { readForecastTargets } from './readForecastTargets';

const labels = { scope: 'service', service: 'checkout', signal: 'latency_p95' };
function quantity(name: string, time: number[], values: Array<number | null>, meta?: object): DataFrame {
  return createDataFrame({
    name,
    meta,
    fields: [
      { name: 'Time', type: FieldType.time, values: time },
      { name, type: FieldType.number, values, labels, config: name === 'anomalous' ? {} : { unit: 's' } },
    ],
  });
}

describe('readForecastTargets', () => {
  it('joins one frame per quantity on their timestamps, keeping missing samples null', () => {
    const [target] = readForecastTargets([
      quantity('actual', [0, 10, 20], [1, null, 3], {
        custom: { mae: 0.1, mape: null, mase: 0.8, state: 'ok', model: 'ets' },
      }),
      quantity('yhat', [0, 10, 20, 30], [1.1, 2, 2.9, 4]),
      quantity('lower', [0, 10, 20, 30], [0.9, 1.8, 2.7, 3.8]),
      quantity('upper', [0, 10, 20, 30], [1.3, 2.2, 3.1, 4.2]),
      quantity('anomalous', [0, 10, 20], [0, null, 1]),
    ]);
    expect(target).toMatchObject({
      label: 'checkout · latency_p95',
      unit: 's',
      time: [0, 10, 20, 30],
      actual: [1, null, 3, null],
      yhat: [1.1, 2, 2.9, 4],
      anomalous: [0, null, 1, null],
    });
    expect(target!.accuracy).toMatchObject({ mae: 0.1, mape: null, mase: 0.8, state: 'ok', model: 'ets' });
  });

  it('breaks the line across a stretch with no samples at all', () => {
    const [target] = readForecastTargets([quantity('yhat', [0, 10, 20, 80, 90], [1, 1, 1, 1, 1])]);
    expect(target!.time).toEqual([0, 10, 20, 30, 80, 90]);
    expect(target!.yhat).toEqual([1, 1, 1, null, 1, 1]);
  });

  it('keeps targets apart by their labels', () => {
    const targets = readForecastTargets(loadFixtureFrames('delay-one-edge', 'forecast'));
    expect(targets.map((t) => t.label)).toEqual(['frontend → shippingservice · latency_p95', 'frontend · latency_p95']);
    expect(targets[0]!.actual.some((v) => v === null)).toBe(true);
  });

  it('reads a wide frame with several quantities', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2] },
        { name: 'actual', type: FieldType.number, values: [10, 12] },
        { name: 'yhat', type: FieldType.number, values: [11, 11] },
      ],
    });
    expect(readForecastTargets([frame])[0]).toMatchObject({ actual: [10, 12], yhat: [11, 11], label: 'forecast' });
  });

  it('drops a target without a forecast', () => {
    expect(readForecastTargets([quantity('actual', [0], [1])])).toEqual([]);
  });
});
