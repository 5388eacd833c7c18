export interface ForecastAccuracy {
  mae: number | null;
  mape: number | null;
  mase: number | null;
  coverage: number | null;
  trust: number | null;
  state: string | null;
  model: string | null;
}

/** One forecast target's series, aligned on one time axis. `null` is a gap, never interpolated. */
export interface ForecastTarget {
  key: string;
  label: string;
  labels: Record<string, string>;
  unit: string | undefined;
  time: number[];
  actual: Array<number | null>;
  yhat: Array<number | null>;
  lower: Array<number | null>;
  upper: Array<number | null>;
  anomalous: Array<number | null>;
  accuracy: ForecastAccuracy | null;
}

export type ForecastDisplay = 'forecast' | 'inspector';

export interface ForecastOptions {
  display: ForecastDisplay;
  showBand: boolean;
  showAnomalies: boolean;
  /** Service whose window the inspector opens with; empty: the selected target's service. */
  inspectorService: string;
}

export const DEFAULT_FORECAST_OPTIONS: ForecastOptions = {
  display: 'forecast',
  showBand: true,
  showAnomalies: true,
  inspectorService: '',
};
