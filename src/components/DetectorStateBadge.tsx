import React from 'react';
import { Badge, type BadgeColor } from '@grafana/ui';

import type { DetectorState } from '../pages/api/sidecarTypes';

const LOOK: Record<DetectorState, { color: BadgeColor; text: string; tooltip: string }> = {
  ok: { color: 'green', text: 'ok', tooltip: 'The detector scores this entity' },
  fallback: {
    color: 'blue',
    text: 'fallback',
    tooltip: 'Scored by the univariate detector while the model cannot score it',
  },
  warmup: { color: 'purple', text: 'warm-up', tooltip: 'Collecting enough history to score' },
  stale: { color: 'red', text: 'stale', tooltip: 'No recent data: the entity is not being watched' },
  unknown: { color: 'darkgrey', text: 'unknown', tooltip: 'The last window could not be scored' },
};

/** A detector state with its own colour: unknown, warming up and stale are never shown as healthy. */
export function DetectorStateBadge({ state }: { state: DetectorState }) {
  const look = LOOK[state] ?? LOOK.unknown;
  return <Badge color={look.color} text={look.text} tooltip={look.tooltip} />;
}
