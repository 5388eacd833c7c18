import React from 'react';

import type { HealthStyle } from './healthPalette';
import { HEALTH_CLASSES, type Health } from './types';

interface LegendProps {
  palette: Record<Health, HealthStyle>;
  /** How many visible services are in each class. */
  counts: Partial<Record<Health, number>>;
  textColor: string;
}

/** Every class with its colour, dash pattern and glyph, and how many services show it. */
export function Legend({ palette, counts, textColor }: LegendProps) {
  return (
    <ul
      aria-label="Legend"
      data-testid="topology-legend"
      style={{ display: 'flex', flexWrap: 'wrap', gap: '4px 14px', listStyle: 'none', margin: 0, padding: '4px 8px' }}
    >
      {HEALTH_CLASSES.map((health) => {
        const style = palette[health];
        return (
          <li key={health} style={{ display: 'flex', alignItems: 'center', gap: 6, fontSize: 12 }}>
            <svg width={18} height={18} aria-hidden>
              <circle
                cx={9}
                cy={9}
                r={7}
                fill={style.color}
                fillOpacity={health === 'anomalous' ? 0.5 : 0.2}
                stroke={style.color}
                strokeWidth={2}
                strokeDasharray={style.dash?.map((d) => d / 2).join(' ')}
              />
              {style.glyph && (
                <text x={9} y={9} textAnchor="middle" dominantBaseline="central" fontSize={9} fill={textColor}>
                  {style.glyph}
                </text>
              )}
            </svg>
            <span>
              {style.label}
              {counts[health] ? ` (${counts[health]})` : ''}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
