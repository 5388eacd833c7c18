/** Incident severity as the temperature frame encodes it: 0 none, 1 SEV2, 2 SEV1. */
export type SeverityLevel = 0 | 1 | 2;

export interface TemperatureSeries {
  /** Epoch ms, ascending. */
  time: number[];
  temperature: Array<number | null>;
  openThreshold: Array<number | null>;
  closeThreshold: Array<number | null>;
  severity: Array<SeverityLevel | null>;
}

export interface EntityAccumulator {
  entity: string;
  scope: string;
  time: number[];
  accumulator: Array<number | null>;
  /** The entity's own threshold (latest value of the constant field). */
  threshold: number | null;
  latest: number | null;
  peak: number;
}

export interface ToleratedSpike {
  time: number | null;
  entity: string;
  scope: string;
  peak: number | null;
  threshold: number | null;
  temperature: number | null;
  reason: string;
}

export interface SeverityBand {
  from: number;
  to: number;
  severity: 1 | 2;
}

export interface IncidentTimeline {
  temperature: TemperatureSeries | null;
  entities: EntityAccumulator[];
  tolerated: ToleratedSpike[];
  bands: SeverityBand[];
  current: {
    severity: SeverityLevel | null;
    /** When the current severity run began (epoch ms). */
    since: number | null;
    temperature: number | null;
    openThreshold: number | null;
    closeThreshold: number | null;
    at: number | null;
  };
}

export interface TemperatureOptions {
  showAccumulators: boolean;
  accumulatorStyle: 'sparklines' | 'bars';
  /** Entities listed at most, highest accumulator first. */
  maxEntities: number;
  showTolerated: boolean;
}

export const DEFAULT_TEMPERATURE_OPTIONS: TemperatureOptions = {
  showAccumulators: true,
  accumulatorStyle: 'sparklines',
  maxEntities: 12,
  showTolerated: true,
};
