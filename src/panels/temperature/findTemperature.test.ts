import { createDataFrame, FieldType } from '@grafana/data';

import { findTemperature } from './findTemperature';

describe('findTemperature', () => {
  it('returns the latest finite temperature and its time', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1000, 2000, 3000] },
        { name: 'temperature', type: FieldType.number, values: [1.5, 4, null] },
      ],
    });
    expect(findTemperature([frame])).toEqual({ value: 4, time: 2000 });
  });

  it('ignores other number fields', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1000] },
        { name: 'accumulator', type: FieldType.number, values: [2] },
      ],
    });
    expect(findTemperature([frame])).toBeUndefined();
  });
});
