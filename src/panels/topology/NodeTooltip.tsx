import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';

import type { ViewNode } from './buildGraphView';
import { ContributionBars } from '../shared/ContributionBars';
import type { HealthStyle } from './healthPalette';
import type { Health } from './types';

interface NodeTooltipProps {
  node: ViewNode;
  at: { x: number; y: number };
  palette: Record<Health, HealthStyle>;
  theme: GrafanaTheme2;
  timeZone: string;
  bounds: { width: number; height: number };
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** What is known about a service (or a collapsed namespace) under the pointer or keyboard focus. */
export function NodeTooltip({ node, at, palette, theme, timeZone, bounds }: NodeTooltipProps) {
  const style = palette[node.health];
  const service = node.node;
  const width = 260;
  const left = Math.min(Math.max(0, at.x + 12), Math.max(0, bounds.width - width));
  const top = Math.min(at.y + 12, Math.max(0, bounds.height - 160));
  const rows: Array<[string, string]> = [];
  if (service) {
    rows.push(['state', service.seismo ? service.state : 'no Seismo data']);
    if (service.score !== null) {
      rows.push(['score', percent(service.score)]);
    }
    if (service.threshold !== null) {
      rows.push(['threshold', percent(service.threshold)]);
    }
    if (service.onset !== null) {
      rows.push(['anomalous since', dateTimeFormat(service.onset, { timeZone })]);
    }
    if (service.rank !== null) {
      rows.push(['root-cause rank', `#${service.rank}`]);
    }
    if (service.requestRate !== null) {
      rows.push(['inbound rate', `${service.requestRate.toFixed(1)} req/s`]);
    }
    if (service.detector) {
      rows.push(['detector', service.detector]);
    }
    if (service.namespace) {
      rows.push(['namespace', service.namespace]);
    }
    if (service.team) {
      rows.push(['team', service.team]);
    }
    service.stats.forEach((stat) => rows.push([stat.label, stat.value]));
  } else {
    rows.push(['services', String(node.members.length)]);
    rows.push(['anomalous', String(node.anomalousMembers)]);
    if (node.score !== null) {
      rows.push(['worst score', percent(node.score)]);
    }
  }
  return (
    <div
      role="tooltip"
      data-testid="topology-tooltip"
      style={{
        position: 'absolute',
        left,
        top,
        width,
        pointerEvents: 'none',
        background: theme.colors.background.secondary,
        border: `1px solid ${theme.colors.border.medium}`,
        borderLeft: `4px solid ${style.color}`,
        borderRadius: theme.shape.radius.default,
        boxShadow: theme.shadows.z2,
        padding: 8,
        fontSize: 12,
        zIndex: 2,
      }}
    >
      <div style={{ fontWeight: 600, marginBottom: 4 }}>
        {node.label} <span style={{ color: style.color }}>· {style.label}</span>
      </div>
      <table style={{ borderCollapse: 'collapse', marginBottom: 4 }}>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <td style={{ color: theme.colors.text.secondary, paddingRight: 8 }}>{label}</td>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {service?.contributions ? (
        <ContributionBars contributions={service.contributions} color={style.color} />
      ) : service?.topSignals ? (
        <div>top signals: {service.topSignals}</div>
      ) : null}
    </div>
  );
}
