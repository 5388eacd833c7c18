import { type DataFrame, FieldType, getFieldDisplayName } from '@grafana/data';

export interface TemperatureReading {
  /** Latest non-null temperature and its time (epoch ms). */
  value: number;
  time: number;
}

/**
 * Latest incident temperature in the result: the number field whose display name is
 * `temperature` (as the datasource's incidents query names it), paired with its frame's time field.
 */
export function findTemperature(series: DataFrame[]): TemperatureReading | undefined {
  for (const frame of series) {
    const time = frame.fields.find((field) => field.type === FieldType.time);
    const temperature = frame.fields.find(
      (field) => field.type === FieldType.number && getFieldDisplayName(field, frame, series) === 'temperature'
    );
    if (!time || !temperature) {
      continue;
    }
    for (let i = frame.length - 1; i >= 0; i--) {
      const value = temperature.values[i];
      if (typeof value === 'number' && Number.isFinite(value)) {
        return { value, time: time.values[i] };
      }
    }
  }
  return undefined;
}
