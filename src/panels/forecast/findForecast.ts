import { type DataFrame, type Field, FieldType } from '@grafana/data';

export interface ForecastFields {
  time: Field;
  actual?: Field;
  yhat: Field;
  lower?: Field;
  upper?: Field;
}

/**
 * The forecast of one target: a frame with a time field and a number field named `yhat`
 * (optionally `actual`, `lower`, `upper`), as the datasource's forecast query returns it.
 */
export function findForecast(series: DataFrame[]): ForecastFields | undefined {
  for (const frame of series) {
    const byName = (name: string) =>
      frame.fields.find((field) => field.type === FieldType.number && field.name === name);
    const time = frame.fields.find((field) => field.type === FieldType.time);
    const yhat = byName('yhat');
    if (time && yhat) {
      return { time, yhat, actual: byName('actual'), lower: byName('lower'), upper: byName('upper') };
    }
  }
  return undefined;
}
