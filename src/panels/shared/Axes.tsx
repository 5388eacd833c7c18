import React from 'react';
import { dateTimeFormat } from '@grafana/data';
import type { ScaleLinear, ScaleTime } from 'd3';

interface AxesProps {
  x: ScaleTime<number, number>;
  y: ScaleLinear<number, number>;
  /** Formats a value tick (with the series' unit). */
  format: (value: number) => string;
  timeZone: string;
  color: string;
  gridColor: string;
}

/** Time axis below, value axis left, light grid lines: the frame of the panels' charts. */
export function Axes({ x, y, format, timeZone, color, gridColor }: AxesProps) {
  const [left, right] = x.range() as [number, number];
  const [bottom, top] = y.range() as [number, number];
  const span = x.domain()[1]!.getTime() - x.domain()[0]!.getTime();
  const pattern = span > 2 * 86_400_000 ? 'MM-DD HH:mm' : span > 600_000 ? 'HH:mm' : 'HH:mm:ss';
  const xTicks = x.ticks(Math.max(2, Math.floor((right - left) / 110)));
  const yTicks = y.ticks(Math.max(2, Math.floor((bottom - top) / 40)));
  return (
    <g fontSize={11} fill={color} aria-hidden>
      {yTicks.map((tick) => (
        <g key={`y${tick}`} transform={`translate(0,${y(tick)})`}>
          <line x1={left} x2={right} stroke={gridColor} />
          <text x={left - 6} textAnchor="end" dominantBaseline="central">
            {format(tick)}
          </text>
        </g>
      ))}
      {xTicks.map((tick) => (
        <text key={`x${tick.getTime()}`} x={x(tick)} y={bottom + 16} textAnchor="middle">
          {dateTimeFormat(tick.getTime(), { timeZone, format: pattern })}
        </text>
      ))}
      <line x1={left} x2={right} y1={bottom} y2={bottom} stroke={gridColor} />
    </g>
  );
}
