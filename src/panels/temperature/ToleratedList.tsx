import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';

import type { ToleratedSpike } from './types';

interface ToleratedListProps {
  spikes: ToleratedSpike[];
  theme: GrafanaTheme2;
  timeZone: string;
}

/** Spikes the engine let pass, newest first, each with the engine's own sentence saying why. */
export function ToleratedList({ spikes, theme, timeZone }: ToleratedListProps) {
  return (
    <div data-testid="tolerated">
      <div style={{ fontWeight: 500, fontSize: 12, padding: '2px 0' }}>Tolerated spikes ({spikes.length})</div>
      {spikes.length === 0 ? (
        <p style={{ color: theme.colors.text.secondary, fontSize: 12 }}>None in the range.</p>
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, fontSize: 12 }}>
          {spikes.map((spike, i) => (
            <li
              key={`${spike.time}-${spike.entity}-${i}`}
              data-entity={spike.entity}
              style={{ borderLeft: `3px solid ${theme.colors.warning.main}`, padding: '2px 6px', marginBottom: 4 }}
            >
              <div>
                <strong>{spike.entity}</strong>{' '}
                <span style={{ color: theme.colors.text.secondary }}>
                  {spike.time !== null ? dateTimeFormat(spike.time, { timeZone, format: 'HH:mm:ss' }) : ''} · peak{' '}
                  {spike.peak ?? '–'} of {spike.threshold ?? '–'}
                </span>
              </div>
              <div style={{ color: theme.colors.text.secondary }}>{spike.reason}</div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
