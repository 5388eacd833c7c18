import { classifyHealth, type HealthThresholds } from './classifyHealth';
import { focusGraph } from './focusGraph';
import { healthAt } from './healthAt';
import { GROUP_PREFIX, type Health, type TopologyEdge, type TopologyGraph, type TopologyNode } from './types';

export interface ViewNode {
  id: string;
  label: string;
  health: Health;
  score: number | null;
  rank: number | null;
  namespace: string;
  /** The service, or undefined for a collapsed namespace group. */
  node?: TopologyNode;
  /** Services inside a collapsed group (empty for a service). */
  members: string[];
  /** Services of a group per class, for its tooltip. */
  anomalousMembers: number;
}

export interface ViewEdge {
  id: string;
  source: string;
  target: string;
  health: Health;
  thickness: number;
  /** The call edge, or undefined when several were merged into a group edge. */
  edge?: TopologyEdge;
  merged: number;
}

export interface GraphViewRequest {
  thresholds: HealthThresholds;
  /** Replay time (epoch ms) or null for the latest state. */
  replayAt: number | null;
  /** Keep only the anomalous services (or `focusService`) and their neighbours within `hops`. */
  anomalousOnly: boolean;
  focusService: string | null;
  hops: number;
  /** Collapse services into one node per namespace, except the namespaces in `expanded`. */
  groupByNamespace: boolean;
  expanded: ReadonlySet<string>;
}

export interface GraphView {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Services hidden by the focus filter. */
  hidden: number;
  /** Why nothing is shown, when nothing is. */
  emptyReason: string | null;
}

/** Worst first: the class a collapsed namespace shows. Missing verdicts outrank healthy. */
const ROLL_UP: readonly Health[] = ['anomalous', 'elevated', 'unknown', 'stale', 'warmup', 'fallback', 'healthy'];

function worst(a: Health, b: Health): Health {
  return ROLL_UP.indexOf(a) <= ROLL_UP.indexOf(b) ? a : b;
}

function nodeHealth(node: TopologyNode, request: GraphViewRequest): Health {
  const now = classifyHealth(node, request.thresholds);
  return healthAt(now, node.state, node.onset, request.replayAt);
}

function edgeHealth(edge: TopologyEdge, request: GraphViewRequest): Health {
  const now = classifyHealth(edge, request.thresholds);
  return healthAt(now, edge.state, edge.onset, request.replayAt);
}

/**
 * What the panel draws for a graph and the user's choices: every node's and edge's class (at
 * the replay time, if any), the focus filter, then namespace groups whose class is the worst of
 * their members and whose edges merge the calls between groups (thickest and worst wins).
 */
export function buildGraphView(graph: TopologyGraph, request: GraphViewRequest): GraphView {
  const health = new Map(graph.nodes.map((node) => [node.id, nodeHealth(node, request)]));
  let visible: Set<string> | null = null;
  if (request.focusService !== null || request.anomalousOnly) {
    const seeds =
      request.focusService !== null
        ? [request.focusService]
        : graph.nodes.filter((node) => health.get(node.id) === 'anomalous').map((node) => node.id);
    if (seeds.length === 0) {
      return {
        nodes: [],
        edges: [],
        hidden: graph.nodes.length,
        emptyReason: 'No anomalous services: turn off "Anomalous only" to see the whole graph',
      };
    }
    visible = focusGraph(graph.edges, { seeds, hops: request.hops });
  }
  const shown = visible === null ? graph.nodes : graph.nodes.filter((node) => visible!.has(node.id));

  const groupOf = (node: TopologyNode): string =>
    request.groupByNamespace && node.namespace !== '' && !request.expanded.has(node.namespace)
      ? GROUP_PREFIX + node.namespace
      : node.id;
  const viewNodes = new Map<string, ViewNode>();
  const placed = new Map<string, string>();
  for (const node of shown) {
    const id = groupOf(node);
    placed.set(node.id, id);
    const nodeClass = health.get(node.id) as Health;
    if (id === node.id) {
      viewNodes.set(id, {
        id,
        label: node.title,
        health: nodeClass,
        score: node.score,
        rank: node.rank,
        namespace: node.namespace,
        node,
        members: [],
        anomalousMembers: nodeClass === 'anomalous' ? 1 : 0,
      });
      continue;
    }
    const group = viewNodes.get(id);
    if (group) {
      group.health = worst(group.health, nodeClass);
      group.score = node.score === null ? group.score : Math.max(group.score ?? 0, node.score);
      group.rank = node.rank === null ? group.rank : Math.min(group.rank ?? Infinity, node.rank);
      group.members.push(node.id);
      group.anomalousMembers += nodeClass === 'anomalous' ? 1 : 0;
      group.label = `${node.namespace} (${group.members.length})`;
    } else {
      viewNodes.set(id, {
        id,
        label: `${node.namespace} (1)`,
        health: nodeClass,
        score: node.score,
        rank: node.rank,
        namespace: node.namespace,
        members: [node.id],
        anomalousMembers: nodeClass === 'anomalous' ? 1 : 0,
      });
    }
  }

  const viewEdges = new Map<string, ViewEdge>();
  for (const edge of graph.edges) {
    const source = placed.get(edge.source);
    const target = placed.get(edge.target);
    if (source === undefined || target === undefined || (source === target && source !== edge.source)) {
      continue;
    }
    const edgeClass = edgeHealth(edge, request);
    if (source === edge.source && target === edge.target) {
      viewEdges.set(edge.id, {
        id: edge.id,
        source,
        target,
        health: edgeClass,
        thickness: edge.thickness,
        edge,
        merged: 1,
      });
      continue;
    }
    const id = `${source}->${target}`;
    const merged = viewEdges.get(id);
    if (merged) {
      merged.health = worst(merged.health, edgeClass);
      merged.thickness = Math.max(merged.thickness, edge.thickness);
      merged.merged += 1;
    } else {
      viewEdges.set(id, { id, source, target, health: edgeClass, thickness: edge.thickness, merged: 1 });
    }
  }
  return {
    nodes: [...viewNodes.values()],
    edges: [...viewEdges.values()],
    hidden: graph.nodes.length - shown.length,
    emptyReason: null,
  };
}
