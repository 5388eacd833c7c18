import React from 'react';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Button, LinkButton } from '@grafana/ui';

import type { BlastRadius } from './blastRadius';
import { ContributionBars } from '../shared/ContributionBars';
import type { HealthStyle } from './healthPalette';
import type { ServiceLink } from './serviceLinks';
import type { BlastDirection, Health, RootCauseEntry, TopologyEdge, TopologyNode } from './types';

interface SidePanelProps {
  theme: GrafanaTheme2;
  palette: Record<Health, HealthStyle>;
  healthOf: (id: string) => Health;
  timeZone: string;
  incidentId: string | null;
  rootCauses: RootCauseEntry[];
  selected: TopologyNode | null;
  blast: BlastRadius | null;
  blastDirection: BlastDirection;
  edges: TopologyEdge[];
  links: ServiceLink[];
  notes: string[];
  focused: boolean;
  onSelect: (id: string) => void;
  onFocus: (id: string | null) => void;
}

const time = (ms: number, timeZone: string) => dateTimeFormat(ms, { timeZone, format: 'HH:mm:ss' });

/** Ranked probable root causes with their evidence, then the selected service and its blast radius. */
export function SidePanel(props: SidePanelProps) {
  const { theme, palette, healthOf, timeZone, rootCauses, selected, blast, edges, links, notes } = props;
  const muted = { color: theme.colors.text.secondary, fontSize: 12 };
  return (
    <aside
      data-testid="topology-side"
      style={{
        height: '100%',
        overflowY: 'auto',
        padding: '0 8px',
        borderLeft: `1px solid ${theme.colors.border.weak}`,
      }}
    >
      {selected && (
        <section data-testid="selected-service" aria-label={`Selected service ${selected.title}`}>
          <h3 style={{ fontSize: 14, margin: '4px 0' }}>
            {selected.title}{' '}
            <span style={{ color: palette[healthOf(selected.id)].color }}>
              · {palette[healthOf(selected.id)].label}
            </span>
          </h3>
          <div style={muted}>
            {[
              selected.namespace && `namespace ${selected.namespace}`,
              selected.team && `team ${selected.team}`,
              selected.detector && `${selected.detector} detector`,
              selected.seismo ? `state ${selected.state}` : 'no Seismo data',
            ]
              .filter(Boolean)
              .join(' · ')}
          </div>
          {selected.score !== null && (
            <div style={{ fontSize: 12 }}>
              score {(selected.score * 100).toFixed(1)}%
              {selected.threshold !== null && ` (threshold ${(selected.threshold * 100).toFixed(1)}%)`}
              {selected.onset !== null && `, anomalous since ${time(selected.onset, timeZone)}`}
            </div>
          )}
          {selected.contributions && (
            <ContributionBars contributions={selected.contributions} color={palette[healthOf(selected.id)].color} />
          )}
          {blast && (
            <p data-testid="blast-radius-summary" style={{ fontSize: 12, margin: '6px 0' }}>
              Blast radius ({props.blastDirection === 'callers' ? 'callers that wait on it' : 'callees it calls'}):{' '}
              {blast.nodes.size - 1 === 0
                ? 'none'
                : [...blast.nodes.keys()].filter((id) => id !== selected.id).join(', ')}
            </p>
          )}
          <EdgeList edges={edges} selected={selected.id} palette={palette} healthOf={healthOf} theme={theme} />
          <div style={{ display: 'flex', gap: 6, flexWrap: 'wrap', margin: '6px 0' }}>
            {links.map((link) => (
              <LinkButton key={link.title} size="sm" variant="secondary" href={link.href} icon="external-link-alt">
                {link.title}
              </LinkButton>
            ))}
            <Button size="sm" variant="secondary" onClick={() => props.onFocus(props.focused ? null : selected.id)}>
              {props.focused ? 'Show all' : 'Focus here'}
            </Button>
          </div>
          <hr style={{ borderColor: theme.colors.border.weak, margin: '8px 0' }} />
        </section>
      )}
      <h3 style={{ fontSize: 14, margin: '4px 0' }}>Probable root causes</h3>
      {props.incidentId && <div style={muted}>incident {props.incidentId}</div>}
      {rootCauses.length === 0 ? (
        <p style={muted}>Nothing ranked: no incident is open.</p>
      ) : (
        <ol data-testid="root-cause-list" style={{ listStyle: 'none', padding: 0, margin: '4px 0' }}>
          {rootCauses.map((cause) => {
            const style = palette[healthOf(cause.service)];
            return (
              <li key={cause.service} style={{ marginBottom: 6 }}>
                <button
                  type="button"
                  data-testid="root-cause-item"
                  data-service={cause.service}
                  title={cause.evidence}
                  onClick={() => props.onSelect(cause.service)}
                  aria-pressed={selected?.id === cause.service}
                  style={{
                    width: '100%',
                    textAlign: 'left',
                    background: selected?.id === cause.service ? theme.colors.action.selected : 'transparent',
                    color: theme.colors.text.primary,
                    border: `1px solid ${theme.colors.border.weak}`,
                    borderLeft: `4px solid ${style.color}`,
                    borderRadius: theme.shape.radius.default,
                    padding: '4px 6px',
                    cursor: 'pointer',
                  }}
                >
                  <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                    <strong>
                      #{cause.rank} {cause.service}
                    </strong>
                    {cause.score !== null && <span style={muted}>score {cause.score.toFixed(2)}</span>}
                  </div>
                  <div style={muted}>
                    {[
                      cause.channel && `${cause.channel} evidence`,
                      cause.onset !== null && `onset ${time(cause.onset, timeZone)}`,
                      cause.explainedBy && `explained by ${cause.explainedBy}`,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </div>
                  {/* The full evidence of the top cause and the selected one; the rest on hover. */}
                  {cause.evidence && (cause.rank === rootCauses[0]!.rank || cause.service === selected?.id) && (
                    <div style={{ fontSize: 12 }}>{cause.evidence}</div>
                  )}
                </button>
              </li>
            );
          })}
        </ol>
      )}
      {notes.length > 0 && (
        <details style={muted}>
          <summary>{notes.length} data notes</summary>
          <ul>
            {notes.slice(0, 20).map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </details>
      )}
    </aside>
  );
}

interface EdgeListProps {
  edges: TopologyEdge[];
  selected: string;
  palette: Record<Health, HealthStyle>;
  healthOf: (id: string) => Health;
  theme: GrafanaTheme2;
}

function EdgeList({ edges, selected, theme }: EdgeListProps) {
  const touching = edges.filter((edge) => edge.source === selected || edge.target === selected);
  if (touching.length === 0) {
    return null;
  }
  return (
    <table style={{ fontSize: 12, borderCollapse: 'collapse', width: '100%', marginTop: 4 }} aria-label="Calls">
      <thead style={{ color: theme.colors.text.secondary }}>
        <tr>
          <th style={{ textAlign: 'left' }}>call</th>
          <th>score</th>
          <th>p95</th>
          <th>req/s</th>
          <th>errors</th>
        </tr>
      </thead>
      <tbody>
        {touching.map((edge) => (
          <tr key={edge.id}>
            <td>{edge.source === selected ? `→ ${edge.target}` : `← ${edge.source}`}</td>
            <td style={{ textAlign: 'right' }}>
              {edge.score !== null ? `${(edge.score * 100).toFixed(0)}%` : edge.state}
            </td>
            <td style={{ textAlign: 'right' }}>
              {edge.latencyP95 !== null ? `${(edge.latencyP95 * 1000).toFixed(0)} ms` : '–'}
            </td>
            <td style={{ textAlign: 'right' }}>{edge.requestRate !== null ? edge.requestRate.toFixed(1) : '–'}</td>
            <td style={{ textAlign: 'right' }}>
              {edge.errorRatio !== null ? `${(edge.errorRatio * 100).toFixed(1)}%` : '–'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
