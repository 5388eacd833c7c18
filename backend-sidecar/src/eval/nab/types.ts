/**
 * Shapes of the NAB scorer. Timestamps are Unix milliseconds (NAB's timestamps carry no zone;
 * they are read as UTC, which only has to be consistent between data and labels).
 */

/** An anomaly window from NAB's label file, both ends inclusive and present in the data. */
export interface NabWindow {
  start: number;
  end: number;
}

/** One data file of the corpus with its labelled windows. */
export interface NabFile {
  /** Path relative to the data folder, e.g. `realKnownCause/nyc_taxi.csv`. */
  name: string;
  /** NAB category (first path segment). */
  category: string;
  timestamps: number[];
  values: number[];
  windows: NabWindow[];
}

/** A cost profile (NAB's `config/profiles.json` cost matrix). */
export interface NabProfile {
  name: string;
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

export interface NabCorpus {
  files: NabFile[];
  profiles: NabProfile[];
}

/**
 * Per-point outcome of scoring one file independently of any threshold: what the point would
 * add to the score if it were a detection.
 */
export interface SweptFile {
  name: string;
  /** The detector's anomaly score per point, in [0, 1]. */
  anomalyScores: Float64Array;
  /**
   * Weighted contribution of a detection at each point: inside a window the scaled sigmoid of
   * the position in the window (times tpWeight), outside one the false-positive cost.
   */
  sweepScores: Float64Array;
  /**
   * Window of each point: index into `windows` (0-based), WINDOW_NONE outside any window,
   * WINDOW_PROBATION for points of the probationary period (never scored).
   */
  windowOf: Int32Array;
  /** Number of windows of the file that contain at least one scorable point. */
  scorableWindows: number;
  /** Number of windows in the label file for this data file. */
  labelledWindows: number;
}

/** Score of the corpus (or of one file) when every point scoring at least `threshold` is a detection. */
export interface ThresholdScore {
  threshold: number;
  /** Raw NAB score: sum of window credits/costs and false-positive costs. */
  score: number;
  tp: number;
  tn: number;
  fp: number;
  fn: number;
}
