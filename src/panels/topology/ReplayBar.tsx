import React, { useEffect, useState } from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Button } from '@grafana/ui';

interface ReplayBarProps {
  from: number;
  to: number;
  at: number;
  /** Onsets inside the range, earliest first: marks on the slider and the steps of playback. */
  onsets: Array<{ id: string; onset: number }>;
  theme: GrafanaTheme2;
  timeZone: string;
  onChange: (at: number) => void;
  onClose: () => void;
}

const FRAMES = 120;

/** A time slider over the dashboard range that replays the spread of the anomaly by onset time. */
export function ReplayBar({ from, to, at, onsets, theme, timeZone, onChange, onClose }: ReplayBarProps) {
  const [playing, setPlaying] = useState(false);
  const span = Math.max(1, to - from);
  const step = Math.max(1000, Math.round(span / FRAMES));

  useEffect(() => {
    if (!playing) {
      return;
    }
    const timer = setInterval(() => {
      const next = at + step;
      onChange(Math.min(to, next));
      if (next >= to) {
        setPlaying(false);
      }
    }, 80);
    return () => clearInterval(timer);
  }, [playing, at, step, to, onChange]);

  const reached = onsets.filter((item) => item.onset <= at);
  return (
    <div
      data-testid="topology-replay"
      style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '4px 8px', fontSize: 12 }}
    >
      <Button
        size="sm"
        variant="secondary"
        icon={playing ? 'pause' : 'play'}
        aria-label={playing ? 'Pause replay' : 'Play replay'}
        onClick={() => {
          if (!playing && at >= to) {
            onChange(from);
          }
          setPlaying(!playing);
        }}
      />
      <div style={{ position: 'relative', flex: 1 }}>
        <input
          type="range"
          aria-label="Replay time"
          data-testid="replay-slider"
          min={from}
          max={to}
          step={step}
          value={Math.min(to, Math.max(from, at))}
          onChange={(event) => onChange(Number(event.currentTarget.value))}
          style={{ width: '100%' }}
        />
        {onsets
          .filter((item) => item.onset >= from && item.onset <= to)
          .map((item) => (
            <span
              key={item.id}
              title={`${item.id} ${dateTimeFormat(item.onset, { timeZone })}`}
              style={{
                position: 'absolute',
                left: `${((item.onset - from) / span) * 100}%`,
                top: -2,
                width: 2,
                height: 6,
                background: theme.colors.error.main,
                pointerEvents: 'none',
              }}
            />
          ))}
      </div>
      <span style={{ minWidth: 150 }} data-testid="replay-time">
        {dateTimeFormat(at, { timeZone })} · {reached.length}/{onsets.length} anomalous
      </span>
      <Button size="sm" variant="secondary" onClick={onClose}>
        Live
      </Button>
    </div>
  );
}
