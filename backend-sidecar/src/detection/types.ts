/**
 * What the detection loop concludes about one monitored entity (a service or a call edge) in one
 * cycle. Plain data: the API, the metrics publisher and the in-memory history all read it.
 */
import type { BaselineSource } from '../detectors/autoencoder/types.js';

/** The exported detector states (docs/metrics.md). */
export type EntityState = 'ok' | 'warmup' | 'stale' | 'unknown' | 'fallback';

export type DetectorKind = 'autoencoder' | 'univariate';

export type Verdict = 'anomalous' | 'normal' | 'unknown';

/** One signal judged by a univariate detector. */
export interface SignalJudgement {
  readonly signal: string;
  readonly state: 'ok' | 'warmup' | 'stale' | 'unknown';
  /** Newest observed value (base unit); null when none in range. */
  readonly value: number | null;
  readonly score: number | null;
  readonly anomalous: boolean | null;
  readonly expected: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly kind: string | null;
}

export interface EntityScore {
  readonly state: EntityState;
  readonly detector: DetectorKind;
  /** Why the state is not ok (or why the detector is univariate), in words an operator can act on. */
  readonly reasons: readonly string[];
  /** In [0, 1]; null unless the detector scored (ok, or fallback with a score). */
  readonly score: number | null;
  readonly threshold: number | null;
  readonly anomalous: boolean | null;
  /** Raw reconstruction error (autoencoder only). */
  readonly error: number | null;
  /** Share of the score per signal, summing to 1; null when not scored. */
  readonly contributions: Readonly<Record<string, number>> | null;
  readonly modelId: string | null;
  readonly perEntityModel: boolean;
  readonly baselineSource: BaselineSource | null;
  /** Training data of the model that scored: `synthetic` models deserve less trust. */
  readonly modelDataSource: string | null;
  /** Per-signal judgements of the univariate detectors; empty for the autoencoder. */
  readonly signals: readonly SignalJudgement[];
}
