import React, { useMemo, useState } from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { line, scaleLinear, scaleTime } from 'd3';

import { Axes } from '../shared/Axes';
import type { IncidentTimeline } from './types';

interface TemperatureChartProps {
  timeline: IncidentTimeline;
  range: { from: number; to: number };
  width: number;
  height: number;
  theme: GrafanaTheme2;
  timeZone: string;
}

const MARGIN = { top: 8, right: 12, bottom: 24, left: 44 };

/**
 * Temperature over time over shaded severity bands (SEV2, SEV1), with the open and close
 * thresholds as dashed lines. Missing samples break the line. Hovering shows the values and the
 * entities that contributed most at that time.
 */
export function TemperatureChart({ timeline, range, width, height, theme, timeZone }: TemperatureChartProps) {
  const series = timeline.temperature!;
  const [hover, setHover] = useState<number | null>(null);
  const x = useMemo(
    () =>
      scaleTime()
        .domain([new Date(range.from), new Date(range.to)])
        .range([MARGIN.left, width - MARGIN.right]),
    [range.from, range.to, width]
  );
  const max = Math.max(1, ...series.temperature.map((v) => v ?? 0), ...series.openThreshold.map((v) => v ?? 0));
  const y = useMemo(
    () =>
      scaleLinear()
        .domain([0, max * 1.1])
        .nice()
        .range([height - MARGIN.bottom, MARGIN.top]),
    [max, height]
  );
  const path = (values: Array<number | null>) =>
    line<number>()
      .defined((i) => values[i] !== null)
      .x((i) => x(series.time[i]!))
      .y((i) => y(values[i]!))(series.time.map((_, i) => i)) ?? '';
  const sev = { 1: theme.colors.warning.main, 2: theme.colors.error.main } as const;

  const onMove = (event: React.MouseEvent<SVGRectElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const at = x.invert(event.clientX - rect.left + MARGIN.left).getTime();
    let best = -1;
    series.time.forEach((t, i) => {
      if (best < 0 || Math.abs(t - at) < Math.abs(series.time[best]! - at)) {
        best = i;
      }
    });
    setHover(best >= 0 ? best : null);
  };
  const hovered = hover !== null ? series.time[hover]! : null;
  const contributors =
    hovered !== null
      ? timeline.entities
          .map((e) => ({ entity: e.entity, value: e.accumulator[e.time.indexOf(hovered)] ?? null }))
          .filter((e): e is { entity: string; value: number } => e.value !== null && e.value > 0)
          .sort((a, b) => b.value - a.value)
          .slice(0, 4)
      : [];

  return (
    <div style={{ position: 'relative', width, height }}>
      <svg
        width={width}
        height={height}
        role="img"
        aria-label="Incident temperature over time"
        data-testid="temperature-chart"
      >
        {timeline.bands.map((band) => (
          <rect
            key={band.from}
            data-severity={band.severity === 2 ? 'SEV1' : 'SEV2'}
            x={x(band.from)}
            width={Math.max(2, x(band.to) - x(band.from))}
            y={MARGIN.top}
            height={height - MARGIN.top - MARGIN.bottom}
            fill={sev[band.severity]}
            fillOpacity={0.15}
          />
        ))}
        <Axes
          x={x}
          y={y}
          format={(v) => String(v)}
          timeZone={timeZone}
          color={theme.colors.text.secondary}
          gridColor={theme.colors.border.weak}
        />
        <path
          d={path(series.openThreshold)}
          fill="none"
          stroke={theme.colors.error.main}
          strokeDasharray="6 4"
          strokeWidth={1.5}
        />
        <path
          d={path(series.closeThreshold)}
          fill="none"
          stroke={theme.colors.info.main}
          strokeDasharray="2 4"
          strokeWidth={1.5}
        />
        <path
          d={path(series.temperature)}
          fill="none"
          stroke={theme.colors.text.primary}
          strokeWidth={2}
          data-testid="temperature-line"
        />
        {hovered !== null && (
          <line
            x1={x(hovered)}
            x2={x(hovered)}
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
      {hover !== null && hovered !== null && (
        <div
          role="tooltip"
          style={{
            position: 'absolute',
            top: MARGIN.top,
            left: Math.min(x(hovered) + 8, width - 230),
            width: 220,
            pointerEvents: 'none',
            background: theme.colors.background.secondary,
            border: `1px solid ${theme.colors.border.medium}`,
            borderRadius: theme.shape.radius.default,
            padding: 6,
            fontSize: 12,
          }}
        >
          <div>{dateTimeFormat(hovered, { timeZone })}</div>
          <div>
            temperature {series.temperature[hover] ?? '–'} (open ≥ {series.openThreshold[hover] ?? '–'}, close ≤{' '}
            {series.closeThreshold[hover] ?? '–'})
          </div>
          <div>
            {series.severity[hover] === 2
              ? 'SEV1 open'
              : series.severity[hover] === 1
                ? 'SEV2 open'
                : series.severity[hover] === 0
                  ? 'no incident'
                  : 'severity unknown'}
          </div>
          {contributors.map((c) => (
            <div key={c.entity} style={{ color: theme.colors.text.secondary }}>
              {c.entity}: {c.value}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
