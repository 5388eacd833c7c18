import type { GraphView } from '../buildGraphView';
import { initialPosition } from './initialPosition';
import type { HealthStyle } from '../healthPalette';
import type { Health } from '../types';

export interface Point {
  x: number;
  y: number;
}

export interface SceneNode {
  id: string;
  x: number;
  y: number;
  r: number;
  health: Health;
  color: string;
  dash: number[] | null;
  /** Score as a percentage, else the state's glyph. */
  text: string;
  label: string;
  rank: number | null;
  isGroup: boolean;
  dim: boolean;
  selected: boolean;
  match: boolean;
  /** What a screen reader says about the node. */
  description: string;
}

export interface SceneEdge {
  id: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  color: string;
  width: number;
  dash: number[] | null;
  health: Health;
  dim: boolean;
  highlighted: boolean;
}

export interface Scene {
  nodes: SceneNode[];
  edges: SceneEdge[];
}

export interface SceneRequest {
  view: GraphView;
  positions: ReadonlyMap<string, Point>;
  palette: Record<Health, HealthStyle>;
  /** Nodes and edges to highlight (blast radius); everything else is dimmed. */
  highlight: { nodes: ReadonlyMap<string, number> | ReadonlySet<string>; edges: ReadonlySet<string> } | null;
  /** Search matches; null when not searching. */
  matches: ReadonlySet<string> | null;
  selected: string | null;
  /** Changes whenever `positions` was mutated (a drag, a new layout). */
  version?: number;
}

export const NODE_RADIUS = 16;
export const GROUP_RADIUS = 24;

/**
 * Geometry and styles for one draw, shared by the SVG and canvas renderers: node discs with the
 * class's colour and dash pattern, edges shortened to end at the callee's rim (where the arrow
 * head goes), dimming outside the blast radius or the search matches.
 */
export function buildScene(request: SceneRequest): Scene {
  const { view, positions, palette, highlight, matches, selected } = request;
  const inHighlight = (id: string) => highlight === null || highlight.nodes.has(id);
  const nodes: SceneNode[] = [];
  const radius = new Map<string, number>();
  view.nodes.forEach((node, i) => {
    // Not laid out yet: a provisional place on a spiral, so a large graph shows at once.
    const at = positions.get(node.id) ?? initialPosition(i);
    const style = palette[node.health];
    const r = node.members.length > 0 ? GROUP_RADIUS : NODE_RADIUS;
    radius.set(node.id, r);
    const match = matches !== null && matches.has(node.id);
    const scored =
      node.score !== null && (node.health === 'anomalous' || node.health === 'elevated' || node.health === 'healthy');
    const facts = [
      node.members.length > 0 ? `namespace ${node.namespace}, ${node.members.length} services` : node.label,
      style.label,
      node.score !== null ? `score ${(node.score * 100).toFixed(1)}%` : '',
      node.rank !== null ? `probable root cause rank ${node.rank}` : '',
    ];
    nodes.push({
      id: node.id,
      x: at.x,
      y: at.y,
      r,
      health: node.health,
      color: style.color,
      dash: style.dash,
      text: scored ? `${Math.round(node.score! * 100)}%` : style.glyph,
      label: node.label,
      rank: node.rank,
      isGroup: node.members.length > 0,
      dim: !inHighlight(node.id) || (matches !== null && !match),
      selected: node.id === selected,
      match,
      description: facts.filter(Boolean).join(', '),
    });
  });
  const placed = new Map(nodes.map((n) => [n.id, n]));
  const edges: SceneEdge[] = [];
  for (const edge of view.edges) {
    const from = placed.get(edge.source);
    const to = placed.get(edge.target);
    if (!from || !to) {
      continue;
    }
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const length = Math.hypot(dx, dy) || 1;
    const r1 = radius.get(edge.source) ?? NODE_RADIUS;
    const r2 = (radius.get(edge.target) ?? NODE_RADIUS) + 2;
    const style = palette[edge.health];
    const highlighted = highlight !== null && highlight.edges.has(edge.id);
    edges.push({
      id: edge.id,
      x1: from.x + (dx / length) * r1,
      y1: from.y + (dy / length) * r1,
      x2: to.x - (dx / length) * r2,
      y2: to.y - (dy / length) * r2,
      color: style.color,
      // Half-pixel steps: the canvas batches edges by width, and finer steps are not visible.
      width: Math.round(edge.thickness * 2) / 2,
      dash: edge.health === 'healthy' || edge.health === 'anomalous' || edge.health === 'elevated' ? null : style.dash,
      health: edge.health,
      dim:
        (highlight !== null && !highlighted) ||
        (matches !== null && !(matches.has(edge.source) || matches.has(edge.target))),
      highlighted,
    });
  }
  return { nodes, edges };
}
