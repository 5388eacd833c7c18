import React, { useMemo, useState } from 'react';
import { dateTimeFormat, formattedValueToString, getValueFormat, type GrafanaTheme2 } from '@grafana/data';
import { area, line, scaleLinear, scaleTime } from 'd3';

import { Axes } from '../shared/Axes';
import type { ForecastTarget } from './types';

interface ForecastChartProps {
  target: ForecastTarget;
  range: { from: number; to: number };
  width: number;
  height: number;
  theme: GrafanaTheme2;
  timeZone: string;
  showBand: boolean;
  showAnomalies: boolean;
}

const MARGIN = { top: 8, right: 12, bottom: 24, left: 60 };

/**
 * Actual against forecast: the prediction band, the forecast (dashed) and the actual (solid),
 * anomalies (actuals outside the band) as dots. Every missing sample breaks its line or band.
 */
export function ForecastChart(props: ForecastChartProps) {
  const { target, range, width, height, theme, timeZone, showBand, showAnomalies } = props;
  const [hover, setHover] = useState<number | null>(null);
  const format = useMemo(() => {
    const fn = getValueFormat(target.unit ?? 'none');
    return (value: number) => formattedValueToString(fn(value));
  }, [target.unit]);
  const x = scaleTime()
    .domain([new Date(range.from), new Date(range.to)])
    .range([MARGIN.left, width - MARGIN.right]);
  const values = [...target.actual, ...target.yhat, ...(showBand ? [...target.lower, ...target.upper] : [])].filter(
    (v): v is number => v !== null
  );
  const lo = Math.min(0, ...values);
  const hi = Math.max(lo + 1e-9, ...values);
  const y = scaleLinear()
    .domain([lo, hi + (hi - lo) * 0.05])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);
  const index = target.time.map((_, i) => i);
  const path = (series: Array<number | null>) =>
    line<number>()
      .defined((i) => series[i] !== null)
      .x((i) => x(target.time[i]!))
      .y((i) => y(series[i]!))(index) ?? '';
  const band =
    area<number>()
      .defined((i) => target.lower[i] !== null && target.upper[i] !== null)
      .x((i) => x(target.time[i]!))
      .y0((i) => y(target.lower[i]!))
      .y1((i) => y(target.upper[i]!))(index) ?? '';
  const anomalies = index.filter((i) => target.anomalous[i] === 1 && target.actual[i] !== null);
  const colors = {
    actual: theme.colors.text.primary,
    forecast: theme.visualization.getColorByName('blue'),
    anomaly: theme.colors.error.main,
  };

  const onMove = (event: React.MouseEvent<SVGRectElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const at = x.invert(event.clientX - rect.left + MARGIN.left).getTime();
    let best = -1;
    target.time.forEach((t, i) => {
      if (best < 0 || Math.abs(t - at) < Math.abs(target.time[best]! - at)) {
        best = i;
      }
    });
    setHover(best >= 0 ? best : null);
  };
  const show = (v: number | null) => (v === null ? 'no data' : format(v));

  return (
    <div style={{ position: 'relative', width, height }}>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label={`Actual and forecast of ${target.label}`}
        data-testid="forecast-chart"
      >
        <Axes
          x={x}
          y={y}
          format={format}
          timeZone={timeZone}
          color={theme.colors.text.secondary}
          gridColor={theme.colors.border.weak}
        />
        {showBand && <path d={band} fill={colors.forecast} fillOpacity={0.18} data-testid="forecast-band" />}
        <path
          d={path(target.yhat)}
          fill="none"
          stroke={colors.forecast}
          strokeWidth={1.5}
          strokeDasharray="5 4"
          data-testid="forecast-yhat"
        />
        <path
          d={path(target.actual)}
          fill="none"
          stroke={colors.actual}
          strokeWidth={1.8}
          data-testid="forecast-actual"
        />
        {showAnomalies &&
          anomalies.map((i) => (
            <circle
              key={i}
              data-testid="forecast-anomaly"
              cx={x(target.time[i]!)}
              cy={y(target.actual[i]!)}
              r={3.5}
              fill={colors.anomaly}
            />
          ))}
        {hover !== null && (
          <line
            x1={x(target.time[hover]!)}
            x2={x(target.time[hover]!)}
            y1={MARGIN.top}
            y2={height - MARGIN.bottom}
            stroke={theme.colors.text.secondary}
          />
        )}
        <rect
          x={MARGIN.left}
          y={MARGIN.top}
          width={Math.max(0, width - MARGIN.left - MARGIN.right)}
          height={Math.max(0, height - MARGIN.top - MARGIN.bottom)}
          fill="transparent"
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
        />
      </svg>
      {hover !== null && (
        <div
          role="tooltip"
          style={{
            position: 'absolute',
            top: MARGIN.top,
            left: Math.min(x(target.time[hover]!) + 8, width - 210),
            width: 200,
            pointerEvents: 'none',
            background: theme.colors.background.secondary,
            border: `1px solid ${theme.colors.border.medium}`,
            borderRadius: theme.shape.radius.default,
            padding: 6,
            fontSize: 12,
          }}
        >
          <div>{dateTimeFormat(target.time[hover]!, { timeZone })}</div>
          <div>actual {show(target.actual[hover]!)}</div>
          <div>forecast {show(target.yhat[hover]!)}</div>
          <div>
            band {show(target.lower[hover]!)} – {show(target.upper[hover]!)}
          </div>
          {target.anomalous[hover] === 1 && <div style={{ color: colors.anomaly }}>outside the band</div>}
        </div>
      )}
    </div>
  );
}
