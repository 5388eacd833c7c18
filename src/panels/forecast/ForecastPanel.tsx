import React from 'react';
import { type PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';

import { findForecast } from './findForecast';

export type ForecastOptions = Record<string, never>;

export function ForecastPanel({ data, width, height, id, fieldConfig }: PanelProps<ForecastOptions>) {
  const forecast = findForecast(data.series);
  if (!forecast) {
    return (
      <PanelDataErrorView
        panelId={id}
        fieldConfig={fieldConfig}
        data={data}
        message="No forecast in the query result. Use the Seismo datasource's forecast query, which returns time, actual, yhat, lower and upper fields"
      />
    );
  }
  return (
    <div data-testid="seismo-forecast-panel" style={{ width, height }}>
      Forecast with {forecast.time.values.length} points
    </div>
  );
}
