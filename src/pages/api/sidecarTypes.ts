/**
 * The parts of the sidecar's HTTP API v1 (backend-sidecar/openapi.yaml) the app pages read,
 * reached through the datasource's `sidecar/<path>` resources (docs/frames.md).
 */
import type { DataFrameJSON } from '@grafana/data';

export type DetectorState = 'ok' | 'warmup' | 'stale' | 'unknown' | 'fallback';
export type Severity = 'SEV1' | 'SEV2';

/** A data frame on the wire: Grafana's data-frame JSON with its schema and values. */
export type WireFrame = DataFrameJSON;

export interface SidecarStatus {
  version?: string;
  shard?: { index: number; count: number };
  lastCycle?: {
    at: number;
    startedAt?: number;
    durationSeconds: number;
    queries?: number;
    overrun?: boolean;
    prometheusUp: boolean;
    error?: string | null;
  } | null;
  cycles?: number;
  services?: Partial<Record<DetectorState, number>>;
  edges?: Partial<Record<DetectorState, number>>;
  stateRestoredFrom?: 'prometheus' | 'local' | 'empty';
  notes?: string[];
}

export interface SignalShare {
  signal: string;
  share: number;
}

export interface ServiceStatus {
  service: string;
  namespace?: string;
  team?: string;
  state: DetectorState;
  detector?: 'autoencoder' | 'univariate';
  reasons?: string[];
  score?: number | null;
  threshold?: number | null;
  anomalous?: boolean | null;
  trust?: number | null;
  onset?: number | null;
  accumulator?: number;
  topContributions?: SignalShare[];
  lastSeen?: number;
}

export interface ServicesResponse {
  at: number | null;
  services: ServiceStatus[];
}

export interface EdgeStatus {
  id?: string;
  client: string;
  server: string;
  state: DetectorState;
  score?: number | null;
  anomalous?: boolean | null;
  onset?: number | null;
  requestRate?: number | null;
  errorRatio?: number | null;
  latencyP95?: number | null;
  sources?: string[];
  agreement?: string;
}

export interface EdgesResponse {
  at: number | null;
  edges: EdgeStatus[];
}

export interface TopologyResponse {
  frames: WireFrame[];
}

export interface Feedback {
  id?: string;
  kind: FeedbackKind;
  scope: 'service' | 'edge';
  entity: string;
  from: number;
  to: number;
  incidentId?: string;
  note?: string;
  author?: string;
  receivedAt?: number;
}

export type FeedbackKind = 'expected' | 'false_positive';

/** Body of `POST feedback`: what the user sends (the sidecar adds id and receivedAt). */
export type FeedbackInput = Omit<Feedback, 'id' | 'receivedAt'>;

export interface IncidentSummary {
  id: string;
  state: 'open' | 'closed';
  openedAt: number;
  closedAt: number | null;
  openedSeverity: Severity;
  severity: Severity;
  peakTemperature: number;
  affectedEntities: string[];
  rootCause: string | null;
  summary: string;
  feedback?: Feedback[];
}

export interface IncidentsResponse {
  incidents: IncidentSummary[];
}

export interface TimelineEntry {
  at: number;
  temperature: number;
  severity: Severity | null;
  rule?: string;
  accumulators: Record<string, number>;
}

export interface SignalEvidence {
  signal: string;
  peak: number;
  onset: number | null;
}

export interface RootCauseCandidate {
  service: string;
  rank: number;
  score: number;
  channel: 'resource' | 'symptom' | 'silence' | 'none';
  onset: number | null;
  unknown?: boolean;
  signals?: SignalEvidence[];
  explainedBy?: { service: string; confidence: number } | null;
  summary: string;
}

export interface RootCause {
  incidentId: string | null;
  alertTime?: number;
  candidates: RootCauseCandidate[];
  notes?: string[];
}

/**
 * The OpenAPI document lists `rootCause` twice for one incident: as the top-ranked service in
 * the summary and as the full ranking in the detail. Both shapes are accepted here.
 */
export interface IncidentDetail extends Omit<IncidentSummary, 'rootCause'> {
  rule?: string;
  timeline?: TimelineEntry[];
  rootCause?: RootCause | string | null;
  /** The incident engine's evaluation that opened it; only the thresholds are read here. */
  explanation?: IncidentExplanation;
}

export interface IncidentExplanation {
  openThreshold?: number;
  closeThreshold?: number;
  entities?: Array<{ entity: string; threshold?: number }>;
}

export interface ModelInfo {
  modelId: string;
  kind: string;
  entity?: string | null;
  signals?: string[];
  windowLength?: number;
  stepSeconds?: number;
  threshold?: number;
  thresholdScore?: number;
  dataSource?: string;
  trainedAt?: string | null;
  onnxSha256?: string;
  servicesScored?: number;
}

export interface ModelsResponse {
  models: ModelInfo[];
  lastError?: string | null;
}

/** The manifest as the sidecar returns it; only the parts the Models page shows are typed. */
export interface ModelManifest {
  model_id?: string;
  kind?: string;
  window?: { length?: number; step_seconds?: number };
  signals?: Array<{ name: string; unit?: string }>;
  normalisation?: { method?: string };
  error?: { reduction?: string };
  calibration?: {
    source?: string;
    windows?: number;
    levels?: number[];
    quantiles?: number[];
    /** Raw error at which the score reaches the anomaly threshold. */
    threshold?: number;
    threshold_score?: number;
    threshold_rule?: { quantile?: number; margin?: number; formula?: string };
  };
  training?: {
    data_source?: { type?: string; frames?: unknown[]; note?: string };
    entities?: string[];
    time_range?: { start?: string; end?: string };
    rows?: number;
    windows?: { fit?: number; validation?: number; calibration?: number };
    epochs?: { max?: number; run?: number; best?: number };
    git_commit?: string;
    versions?: Record<string, string>;
    created?: string;
    base_model?: string | null;
  };
  onnx?: { sha256?: string; opset?: number; size_bytes?: number };
}

export interface ForecastTarget {
  scope: 'service' | 'edge';
  service?: string;
  client?: string;
  server?: string;
  signal: string;
  unit?: string;
  state: 'warmup' | 'ok' | 'fallback';
  model?: string | null;
  mae?: number | null;
  mape?: number | null;
  mase?: number | null;
  coverage?: number | null;
  trust?: number | null;
  lastFit?: number | null;
}

export interface ForecastsResponse {
  targets: ForecastTarget[];
}

export interface SelectionOverrides {
  include?: string[];
  exclude?: string[];
}

export interface SelectionEntry {
  service: string;
  namespace?: string;
  monitored: boolean;
  reason?: string;
}

export interface Selection {
  overrides: SelectionOverrides;
  rules?: unknown;
  services: SelectionEntry[];
}
