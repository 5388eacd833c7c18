import React from 'react';
import type { GrafanaTheme2 } from '@grafana/data';
import { line, scaleLinear } from 'd3';

import type { EntityAccumulator } from './types';

interface AccumulatorListProps {
  entities: EntityAccumulator[];
  style: 'sparklines' | 'bars';
  limit: number;
  theme: GrafanaTheme2;
}

const SPARK = { width: 140, height: 26 };

/**
 * One row per entity, highest accumulator first: its accumulator over the range (or now, as a
 * bar) against its own threshold. Entities at or over their threshold are what makes an incident.
 */
export function AccumulatorList({ entities, style, limit, theme }: AccumulatorListProps) {
  const shown = entities.slice(0, limit);
  const ceiling = Math.max(1, ...shown.map((e) => Math.max(e.peak, e.threshold ?? 0)));
  return (
    <table data-testid="accumulators" style={{ width: '100%', borderCollapse: 'collapse', fontSize: 12 }}>
      <caption style={{ captionSide: 'top', textAlign: 'left', fontWeight: 500, padding: '2px 0' }}>
        Accumulators{entities.length > limit ? ` (top ${limit} of ${entities.length})` : ''}
      </caption>
      <tbody>
        {shown.map((entity) => {
          const over = entity.latest !== null && entity.threshold !== null && entity.latest >= entity.threshold;
          const color = over
            ? theme.colors.error.main
            : (entity.latest ?? 0) > 0
              ? theme.colors.warning.main
              : theme.colors.text.secondary;
          return (
            <tr key={entity.entity} data-entity={entity.entity} data-over={over ? 'true' : 'false'}>
              <td
                style={{
                  padding: '2px 6px 2px 0',
                  whiteSpace: 'nowrap',
                  maxWidth: 220,
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                }}
                title={`${entity.scope} ${entity.entity}`}
              >
                {entity.entity}
              </td>
              <td style={{ width: SPARK.width }}>
                {style === 'sparklines' ? (
                  <Sparkline
                    entity={entity}
                    ceiling={ceiling}
                    color={color}
                    thresholdColor={theme.colors.text.secondary}
                  />
                ) : (
                  <Bar
                    entity={entity}
                    ceiling={ceiling}
                    color={color}
                    thresholdColor={theme.colors.text.primary}
                    track={theme.colors.background.secondary}
                  />
                )}
              </td>
              <td style={{ paddingLeft: 6, whiteSpace: 'nowrap', color: over ? theme.colors.error.text : undefined }}>
                {entity.latest ?? '–'} / {entity.threshold ?? '–'}
                {over ? ' affected' : ''}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Sparkline({
  entity,
  ceiling,
  color,
  thresholdColor,
}: {
  entity: EntityAccumulator;
  ceiling: number;
  color: string;
  thresholdColor: string;
}) {
  const x = scaleLinear()
    .domain([entity.time[0] ?? 0, entity.time[entity.time.length - 1] ?? 1])
    .range([1, SPARK.width - 1]);
  const y = scaleLinear()
    .domain([0, ceiling])
    .range([SPARK.height - 2, 2]);
  const d =
    line<number>()
      .defined((i) => entity.accumulator[i] !== null)
      .x((i) => x(entity.time[i]!))
      .y((i) => y(entity.accumulator[i]!))(entity.time.map((_, i) => i)) ?? '';
  return (
    <svg width={SPARK.width} height={SPARK.height} aria-hidden>
      {entity.threshold !== null && (
        <line
          x1={0}
          x2={SPARK.width}
          y1={y(entity.threshold)}
          y2={y(entity.threshold)}
          stroke={thresholdColor}
          strokeDasharray="3 3"
        />
      )}
      <path d={d} fill="none" stroke={color} strokeWidth={1.5} />
    </svg>
  );
}

function Bar({
  entity,
  ceiling,
  color,
  thresholdColor,
  track,
}: {
  entity: EntityAccumulator;
  ceiling: number;
  color: string;
  thresholdColor: string;
  track: string;
}) {
  const w = ((entity.latest ?? 0) / ceiling) * SPARK.width;
  const t = entity.threshold !== null ? (entity.threshold / ceiling) * SPARK.width : null;
  return (
    <svg width={SPARK.width} height={14} aria-hidden>
      <rect width={SPARK.width} height={14} fill={track} />
      <rect width={w} height={14} fill={color} />
      {t !== null && <line x1={t} x2={t} y1={0} y2={14} stroke={thresholdColor} strokeWidth={2} />}
    </svg>
  );
}
