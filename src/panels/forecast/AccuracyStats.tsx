import React from 'react';
import { formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';

import type { ForecastAccuracy } from './types';

interface AccuracyStatsProps {
  accuracy: ForecastAccuracy | null;
  unit: string | undefined;
  anomalies: number;
  theme: GrafanaTheme2;
}

/** The forecaster's latest rolling accuracy and how far to trust it, with what each number means. */
export function AccuracyStats({ accuracy, unit, anomalies, theme }: AccuracyStatsProps) {
  const format = getValueFormat(unit ?? 'none');
  const percent = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
  const items: Array<[string, string, string]> = [
    ['MAE', accuracy?.mae != null ? formattedValueToString(format(accuracy.mae)) : '–', 'rolling mean absolute error'],
    ['MAPE', percent(accuracy?.mape ?? null), 'rolling mean absolute percentage error (undefined where actuals are 0)'],
    [
      'MASE',
      accuracy?.mase != null ? accuracy.mase.toFixed(2) : '–',
      'mean absolute scaled error: below 1 beats seasonal naive',
    ],
    ['coverage', percent(accuracy?.coverage ?? null), 'share of actuals inside the band'],
    ['trust', percent(accuracy?.trust ?? null), "the detector's trust in its own verdicts"],
    ['anomalies', String(anomalies), 'actuals outside the band in the range'],
  ];
  return (
    <dl
      data-testid="forecast-accuracy"
      style={{ display: 'flex', flexWrap: 'wrap', gap: '0 14px', margin: 0, fontSize: 12 }}
    >
      {items.map(([label, value, help]) => (
        <div key={label} title={help} style={{ display: 'flex', gap: 4 }}>
          <dt style={{ color: theme.colors.text.secondary }}>{label}</dt>
          <dd style={{ margin: 0 }} data-stat={label}>
            {value}
          </dd>
        </div>
      ))}
      {accuracy?.state && (
        <div style={{ display: 'flex', gap: 4 }} title="forecaster state and model">
          <dt style={{ color: theme.colors.text.secondary }}>state</dt>
          <dd style={{ margin: 0, color: accuracy.state === 'ok' ? undefined : theme.colors.warning.text }}>
            {accuracy.state}
            {accuracy.model ? ` (${accuracy.model})` : ''}
          </dd>
        </div>
      )}
    </dl>
  );
}
