/** One evaluation series on a regular step grid (missing steps are NaN). */
export interface ForecastSeries {
  /** Data set the series comes from, e.g. "nab" or "nezha-online-boutique". */
  readonly dataset: string;
  /** Unique name within the run, e.g. "realKnownCause/nyc_taxi.csv". */
  readonly name: string;
  /** Unix seconds of values[0]. */
  readonly start: number;
  readonly step: number;
  readonly values: number[];
  /** Grid index of the first held-out step. */
  readonly testStart: number;
}
