/** Detector states as the sidecar reports them (docs/frames.md, topology). */
export type DetectorState = 'ok' | 'warmup' | 'stale' | 'unknown' | 'fallback';

/**
 * What the panel draws for a node or edge. The detector states other than `ok` keep their own
 * class so that nothing without a verdict is ever drawn as healthy.
 */
export type Health = 'anomalous' | 'elevated' | 'healthy' | 'fallback' | 'warmup' | 'stale' | 'unknown';

/** Health classes from worst to best known, then the states without a verdict. */
export const HEALTH_CLASSES: readonly Health[] = [
  'anomalous',
  'elevated',
  'healthy',
  'fallback',
  'warmup',
  'stale',
  'unknown',
];

/** Id prefix of a collapsed namespace node. */
export const GROUP_PREFIX = 'namespace:';

export type NodeKind = 'service' | 'external' | 'unknown';

/** One service of the call graph, read from a Node Graph `nodes` frame. */
export interface TopologyNode {
  id: string;
  title: string;
  namespace: string;
  team: string;
  kind: NodeKind;
  state: DetectorState;
  /** Calibrated anomaly score in [0, 1]; null unless the detector scored the service. */
  score: number | null;
  /** The service's own score threshold from the data; null when the frame has none. */
  threshold: number | null;
  anomalous: boolean | null;
  /** Epoch ms when the current anomalous run began; null when normal. */
  onset: number | null;
  /** Root-cause rank for the open incident (1 = most probable). */
  rank: number | null;
  rootCauseScore: number | null;
  /** Share of the error per signal, or null. */
  contributions: Record<string, number> | null;
  /** Pre-formatted top contributions (`latency_p95 62%, ...`) when the frame carries them. */
  topSignals: string;
  detector: string;
  /** Inbound request rate (req/s), or null. */
  requestRate: number | null;
  /** Other datasources' stats (Node Graph `mainstat`/`secondarystat`) shown as they come. */
  stats: Array<{ label: string; value: string }>;
  /** False when the frame carries no Seismo fields: the node's health is simply not known. */
  seismo: boolean;
}

/** One call edge, `source` calls `target`. */
export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  state: DetectorState;
  score: number | null;
  anomalous: boolean | null;
  onset: number | null;
  requestRate: number | null;
  errorRatio: number | null;
  latencyP95: number | null;
  /** Stroke width in [1, 8]. */
  thickness: number;
  contributions: Record<string, number> | null;
  sources: string;
  seismo: boolean;
}

/** Evidence for one ranked probable root cause. */
export interface RootCauseEntry {
  rank: number;
  service: string;
  score: number | null;
  channel: string;
  onset: number | null;
  explainedBy: string;
  evidence: string;
  signals: string;
}

export interface TopologyGraph {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
  /** Epoch ms of the evaluation the graph shows, when known. */
  at: number | null;
  incidentId: string | null;
  /** Ranked probable root causes, most probable first. */
  rootCauses: RootCauseEntry[];
  /** Problems with the input that did not stop the panel from drawing it. */
  notes: string[];
}

export type LayoutMode = 'force' | 'layered';
export type ColorScheme = 'seismo' | 'colorblind';
export type RendererChoice = 'auto' | 'svg' | 'canvas';
export type BlastDirection = 'callers' | 'callees';
export type ThresholdSource = 'data' | 'panel';

export interface TopologyOptions {
  layout: LayoutMode;
  colorScheme: ColorScheme;
  thresholdSource: ThresholdSource;
  /** Score at or above which a service counts as anomalous when the data gives no verdict. */
  anomalyThreshold: number;
  /** Score at or above which a service is drawn as elevated. */
  warningThreshold: number;
  labelSize: number;
  renderer: RendererChoice;
  /** Above this many visible nodes `auto` draws on a canvas. */
  canvasThreshold: number;
  anomalousOnly: boolean;
  hops: number;
  groupByNamespace: boolean;
  blastDirection: BlastDirection;
  showRootCauses: boolean;
  showLegend: boolean;
  /** URL of a service dashboard; `${service}`, `${namespace}` and `${team}` are replaced. */
  serviceDashboardUrl: string;
}

export const DEFAULT_TOPOLOGY_OPTIONS: TopologyOptions = {
  layout: 'force',
  colorScheme: 'seismo',
  thresholdSource: 'data',
  anomalyThreshold: 0.99,
  warningThreshold: 0.95,
  labelSize: 12,
  renderer: 'auto',
  canvasThreshold: 300,
  anomalousOnly: false,
  hops: 1,
  groupByNamespace: false,
  blastDirection: 'callers',
  showRootCauses: true,
  showLegend: true,
  serviceDashboardUrl: '',
};
