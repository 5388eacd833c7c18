import { createDataFrame, FieldType } from '@grafana/data';

import { findForecast } from './findForecast';

describe('findForecast', () => {
  it('finds the forecast fields by name', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2] },
        { name: 'actual', type: FieldType.number, values: [10, 12] },
        { name: 'yhat', type: FieldType.number, values: [11, 11] },
        { name: 'lower', type: FieldType.number, values: [9, 9] },
        { name: 'upper', type: FieldType.number, values: [13, 13] },
      ],
    });
    const found = findForecast([frame]);
    expect(found?.yhat.values).toEqual([11, 11]);
    expect(found?.actual?.values).toEqual([10, 12]);
    expect(found?.upper?.values).toEqual([13, 13]);
  });

  it('needs a yhat field', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'actual', type: FieldType.number, values: [10] },
      ],
    });
    expect(findForecast([frame])).toBeUndefined();
  });
});
