import type { BadDirection } from '../../signals/index.js';
import type { SignalRole } from '../types.js';

/** Version tag every case.json carries; readers refuse other versions. */
export const ROOT_CAUSE_CASE_FORMAT = 'seismo-rootcause-case/1';

/** Meaning of a signal column that is not in the canonical catalogue. */
export interface SignalDeclaration {
  role: SignalRole;
  badDirection: BadDirection;
  /** Smallest meaningful change, in the column's unit (like SignalSpec.scaleFloor). */
  scaleFloor?: number;
  unit?: string;
  description?: string;
}

export interface CaseLabel {
  /** The service where the fault was injected or found. */
  service: string;
  /** Free text, e.g. "cpu_contention", "network_delay". */
  type?: string;
  /** Unix seconds when the fault started. */
  time?: number;
  /** Finer-grained target (pod, container, host), when known. */
  entity?: string;
}

export interface CaseMeta {
  format: typeof ROOT_CAUSE_CASE_FORMAT;
  id: string;
  /** Name of the system under test, used to group results. */
  system?: string;
  /** Grid step of the metric files, seconds. */
  step: number;
  /** When the alert fired (or, for benchmarks, when the fault was injected), unix seconds. */
  alertTime: number;
  /** Services with a metrics file. Services only named in the graph are added as "emits nothing". */
  services: string[];
  /** Declarations of free-form service signal columns. Canonical names need none. */
  serviceSignals?: Record<string, SignalDeclaration>;
  /** Declarations of free-form edge signal columns. */
  edgeSignals?: Record<string, SignalDeclaration>;
  /** Absent for unlabelled cases. */
  label?: CaseLabel;
  /** Where the case came from; informational. */
  source?: Record<string, unknown>;
  notes?: string[];
}

/** Columns of one entity: `columns[name][i]` belongs to `timestamps[i]`; NaN is unknown. */
export interface SignalTable {
  timestamps: number[];
  columns: Record<string, number[]>;
}

export interface EdgeTable extends SignalTable {
  client: string;
  server: string;
}

/** Metrics of one period: the analysed window or the baseline. */
export interface CasePeriod {
  services: Record<string, SignalTable>;
  edges: EdgeTable[];
}

export interface RootCauseCase {
  meta: CaseMeta;
  graph: Array<{ client: string; server: string }>;
  window: CasePeriod;
  /** Normal behaviour to compare with; null when the case has none (the window's start is used). */
  baseline: CasePeriod | null;
}
