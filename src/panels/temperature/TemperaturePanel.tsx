import React from 'react';
import { dateTimeFormat, type PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';

import { findTemperature } from './findTemperature';

export type TemperatureOptions = Record<string, never>;

export function TemperaturePanel({ data, width, height, id, fieldConfig, timeZone }: PanelProps<TemperatureOptions>) {
  const reading = findTemperature(data.series);
  if (!reading) {
    return (
      <PanelDataErrorView
        panelId={id}
        fieldConfig={fieldConfig}
        data={data}
        message="No temperature series in the query result. Use the Seismo datasource's incidents query, which returns a number field named temperature"
      />
    );
  }
  return (
    <div data-testid="seismo-temperature-panel" style={{ width, height }}>
      Temperature {reading.value.toFixed(2)} at {dateTimeFormat(reading.time, { timeZone })}
    </div>
  );
}
