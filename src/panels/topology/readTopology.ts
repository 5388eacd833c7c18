import { type DataFrame, formattedValueToString, getFieldDisplayName, getValueFormat } from '@grafana/data';

import { createFrameReader, type FrameReader } from '../shared/createFrameReader';
import { findGraphFrames } from './findGraphFrames';
import type { DetectorState, NodeKind, RootCauseEntry, TopologyEdge, TopologyGraph, TopologyNode } from './types';

const STATES: readonly DetectorState[] = ['ok', 'warmup', 'stale', 'unknown', 'fallback'];
const KINDS: readonly NodeKind[] = ['service', 'external', 'unknown'];

function readState(reader: FrameReader, row: number): DetectorState {
  const value = reader.string('state', row) || reader.string('detail__state', row);
  return (STATES as readonly string[]).includes(value) ? (value as DetectorState) : 'unknown';
}

function readContributions(reader: FrameReader, row: number): Record<string, number> | null {
  const value = reader.object('contributions', row);
  if (value === null) {
    return null;
  }
  const out: Record<string, number> = {};
  for (const [signal, share] of Object.entries(value)) {
    if (typeof share === 'number' && Number.isFinite(share)) {
      out[signal] = share;
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** A Node Graph stat field (any datasource) as a label and its value formatted with the field's unit. */
function statOf(frame: DataFrame, reader: FrameReader, name: string, row: number) {
  const field = reader.field(name);
  const value = reader.number(name, row);
  if (field === undefined || value === null) {
    return undefined;
  }
  const format = getValueFormat(field.config.unit ?? 'none');
  return {
    label: getFieldDisplayName(field, frame),
    value: formattedValueToString(format(value, field.config.decimals)),
  };
}

function readNodes(frame: DataFrame, notes: string[]): TopologyNode[] {
  const reader = createFrameReader(frame);
  // Seismo frames carry a detector state; without one the panel knows nothing about health.
  const seismo = reader.has('state') || reader.has('detail__state');
  const nodes: TopologyNode[] = [];
  const seen = new Set<string>();
  for (let row = 0; row < reader.length; row++) {
    const id = reader.string('id', row);
    if (id === '') {
      notes.push(`nodes row ${row} has no id and was skipped`);
      continue;
    }
    if (seen.has(id)) {
      notes.push(`node "${id}" appears twice; the first row is shown`);
      continue;
    }
    seen.add(id);
    const kind = reader.string('kind', row);
    const score = reader.number('score', row) ?? (seismo ? reader.number('mainstat', row) : null);
    const stats = seismo
      ? []
      : (['mainstat', 'secondarystat'] as const)
          .map((name) => statOf(frame, reader, name, row))
          .filter((stat): stat is { label: string; value: string } => stat !== undefined);
    nodes.push({
      id,
      title: reader.string('title', row) || id,
      namespace: reader.string('namespace', row) || reader.string('subtitle', row),
      team: reader.string('team', row),
      kind: (KINDS as readonly string[]).includes(kind) ? (kind as NodeKind) : 'service',
      state: seismo ? readState(reader, row) : 'unknown',
      score: score !== null ? Math.min(1, Math.max(0, score)) : null,
      threshold: reader.number('threshold', row),
      anomalous: reader.boolean('anomalous', row),
      onset: reader.time('onset', row),
      rank: reader.number('rank', row),
      rootCauseScore: reader.number('rootcause_score', row),
      contributions: readContributions(reader, row),
      topSignals: reader.string('detail__top_signals', row),
      detector: reader.string('detail__detector', row),
      requestRate: seismo ? reader.number('secondarystat', row) : null,
      stats,
      seismo,
    });
  }
  return nodes;
}

/** Node Graph's thickness when given, else grown with the log of the request rate as the sidecar does. */
function edgeThickness(reader: FrameReader, row: number, rate: number | null): number {
  const given = reader.number('thickness', row);
  const raw = given ?? (rate !== null && rate > 0 ? 1 + Math.log10(1 + rate) * 2 : 1);
  return Math.min(8, Math.max(1, raw));
}

function readEdges(frame: DataFrame, notes: string[]): TopologyEdge[] {
  const reader = createFrameReader(frame);
  const seismo = reader.has('state');
  const edges: TopologyEdge[] = [];
  for (let row = 0; row < reader.length; row++) {
    const source = reader.string('source', row);
    const target = reader.string('target', row);
    if (source === '' || target === '') {
      notes.push(`edges row ${row} lacks a source or target and was skipped`);
      continue;
    }
    const rate = reader.number('request_rate', row) ?? reader.number('secondarystat', row);
    const score = reader.number('score', row);
    edges.push({
      id: reader.string('id', row) || `${source}->${target}`,
      source,
      target,
      state: seismo ? readState(reader, row) : 'unknown',
      score: score !== null ? Math.min(1, Math.max(0, score)) : null,
      anomalous: reader.boolean('anomalous', row),
      onset: reader.time('onset', row),
      requestRate: rate,
      errorRatio: reader.number('error_ratio', row) ?? reader.number('detail__error_ratio', row),
      latencyP95: reader.number('latency_p95', row) ?? (seismo ? reader.number('mainstat', row) : null),
      thickness: edgeThickness(reader, row, rate),
      contributions: readContributions(reader, row),
      sources: reader.string('detail__sources', row),
      seismo,
    });
  }
  return edges;
}

function readRootCauseFrame(frame: DataFrame): RootCauseEntry[] {
  const reader = createFrameReader(frame);
  const out: RootCauseEntry[] = [];
  for (let row = 0; row < reader.length; row++) {
    const service = reader.string('service', row);
    const rank = reader.number('rank', row);
    if (service === '' || rank === null) {
      continue;
    }
    out.push({
      rank,
      service,
      score: reader.number('score', row),
      channel: reader.string('channel', row),
      onset: reader.time('onset', row),
      explainedBy: reader.string('explained_by', row),
      evidence: reader.string('evidence', row),
      signals: reader.string('signals', row),
    });
  }
  return out.sort((a, b) => a.rank - b.rank);
}

function rootCausesFromNodes(nodes: TopologyNode[], ranked: unknown): RootCauseEntry[] {
  const entry = (node: TopologyNode, rank: number): RootCauseEntry => ({
    rank,
    service: node.id,
    score: node.rootCauseScore,
    channel: '',
    onset: node.onset,
    explainedBy: '',
    evidence: node.topSignals ? `top signals: ${node.topSignals}` : '',
    signals: node.topSignals,
  });
  const withRank = nodes.filter((node) => node.rank !== null);
  if (withRank.length > 0) {
    return withRank.sort((a, b) => (a.rank as number) - (b.rank as number)).map((node) => entry(node, node.rank!));
  }
  if (Array.isArray(ranked)) {
    const byId = new Map(nodes.map((node) => [node.id, node]));
    return ranked
      .map((id) => byId.get(String(id)))
      .filter((node): node is TopologyNode => node !== undefined)
      .map((node, i) => entry(node, i + 1));
  }
  return [];
}

function isRootCauseFrame(frame: DataFrame): boolean {
  const names = new Set(frame.fields.map((field) => field.name));
  return frame.name === 'rootcause' || (names.has('rank') && names.has('service') && names.has('evidence'));
}

/**
 * The call graph of a query result: Seismo topology frames, or any Node Graph frames (then
 * every node's health is unknown, never healthy). Edges naming nodes the nodes frame lacks get
 * placeholder nodes of kind `unknown`. A `rootcause` table frame, when present, supplies the
 * ranking's evidence; otherwise the nodes' `rank` fields (or `meta.custom.rootCause`) do.
 * Returns undefined when there is no nodes frame.
 */
export function readTopology(series: DataFrame[]): TopologyGraph | undefined {
  const { nodes: nodesFrame, edges: edgesFrame } = findGraphFrames(series.filter((frame) => !isRootCauseFrame(frame)));
  if (!nodesFrame) {
    return undefined;
  }
  const notes: string[] = [];
  const nodes = readNodes(nodesFrame, notes);
  const edges = edgesFrame ? readEdges(edgesFrame, notes) : [];
  const known = new Set(nodes.map((node) => node.id));
  for (const edge of edges) {
    for (const end of [edge.source, edge.target]) {
      if (!known.has(end)) {
        known.add(end);
        notes.push(`"${end}" appears only in edges; drawn as an unknown node`);
        nodes.push({
          id: end,
          title: end,
          namespace: '',
          team: '',
          kind: 'unknown',
          state: 'unknown',
          score: null,
          threshold: null,
          anomalous: null,
          onset: null,
          rank: null,
          rootCauseScore: null,
          contributions: null,
          topSignals: '',
          detector: '',
          requestRate: null,
          stats: [],
          seismo: false,
        });
      }
    }
  }
  const custom = (nodesFrame.meta?.custom ?? {}) as Record<string, unknown>;
  const rootCauseFrame = series.find(isRootCauseFrame);
  const fromFrame = rootCauseFrame
    ? readRootCauseFrame(rootCauseFrame).filter((entry) => known.has(entry.service))
    : [];
  const at = typeof custom.at === 'number' ? custom.at : null;
  return {
    nodes,
    edges,
    at,
    incidentId: typeof custom.incidentId === 'string' ? custom.incidentId : null,
    rootCauses: fromFrame.length > 0 ? fromFrame : rootCausesFromNodes(nodes, custom.rootCause),
    notes,
  };
}
