import type { ServiceSignalChoice } from '../adapters/selectServiceSignals.js';
import { DEFAULT_RELATIVE_FLOOR, fitRobustStats, requireSignal, type ScaleSource } from '../signals/index.js';
import { makesNoOutboundCalls, OUTBOUND_SIGNALS, type OutboundCallers } from './serviceWindowSeries.js';

/** One learned statistic: the robust center and scale, from how many points, and which estimate. */
export interface LearnedSignalBaseline {
  readonly center: number;
  readonly scale: number;
  /** Points it was fitted on. */
  readonly count: number;
  /** Which estimate gave the scale; `structural` for the zeros of a service that makes no outbound calls. */
  readonly source: ScaleSource | 'structural';
  /** Unix seconds of the learning run that produced it. */
  readonly learnedAt: number;
}

export interface SampleFilter {
  /** Services whose samples are kept (the monitored ones). */
  readonly keep: (service: string) => boolean;
  /** Whether a service's point at unix second `t` must not be learned. */
  readonly exclude: (service: string, t: number) => boolean;
}

export interface FittedBaselines {
  readonly services: Map<string, Record<string, LearnedSignalBaseline>>;
  /** "service.signal: reason" for pairs with too few points (their earlier statistics are kept). */
  readonly skipped: string[];
}

interface Column {
  values: Float64Array;
  size: number;
  /** Next ring position once full. */
  next: number;
  /** Unix seconds of the last sample taken; later points of the same step are skipped. */
  lastTaken: number;
}

interface ServiceSamples {
  readonly columns: Map<string, Column>;
  /** Points (at the sampling step) where any signal was measured: what structural zeros count as. */
  measuredPoints: number;
  lastMeasured: number;
}

/**
 * Values of services' signals collected for learning baselines: at most one point per `step`
 * seconds (history read at a finer step is thinned, so counts mean the same wherever the points
 * came from), only measured points (never interpolated ones), only outside excluded periods,
 * and at most `capacity` per series (the newest are kept). Memory is one Float64Array per series.
 */
export class BaselineSamples {
  readonly #step: number;
  readonly #capacity: number;
  readonly #services = new Map<string, ServiceSamples>();
  /** Services seen calling another one in the samples: their outbound signals are not structural. */
  readonly #callers = new Set<string>();

  constructor(options: { step: number; capacity: number }) {
    if (!(options.step > 0) || !Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new Error(
        `baseline samples need a step > 0 and a capacity >= 1 (got ${options.step}, ${options.capacity})`
      );
    }
    this.#step = options.step;
    this.#capacity = options.capacity;
  }

  get serviceCount(): number {
    return this.#services.size;
  }

  /** Records that `service` called another one in the history read. */
  addCaller(service: string): void {
    this.#callers.add(service);
  }

  /** Adds the points of one read (its selected series per service and signal). */
  add(choices: ReadonlyMap<string, ReadonlyMap<string, ServiceSignalChoice>>, filter: SampleFilter): void {
    for (const [service, signals] of choices) {
      if (!filter.keep(service)) {
        continue;
      }
      let entry = this.#services.get(service);
      if (entry === undefined) {
        entry = { columns: new Map(), measuredPoints: 0, lastMeasured: Number.NEGATIVE_INFINITY };
        this.#services.set(service, entry);
      }
      const measuredAt = new Set<number>();
      for (const [signal, choice] of signals) {
        const column = this.#column(entry, signal);
        const { timestamps, values, missing, interpolated } = choice.series;
        for (let i = 0; i < timestamps.length; i++) {
          const t = timestamps[i] as number;
          if (missing[i] === true || interpolated[i] === true || filter.exclude(service, t)) {
            continue;
          }
          const slot = Math.floor(t / this.#step);
          if (slot > entry.lastMeasured) {
            measuredAt.add(slot);
          }
          if (slot <= column.lastTaken) {
            continue;
          }
          column.lastTaken = slot;
          this.#push(column, values[i] as number);
        }
      }
      entry.measuredPoints += measuredAt.size;
      for (const slot of measuredAt) {
        entry.lastMeasured = Math.max(entry.lastMeasured, slot);
      }
    }
  }

  /**
   * Robust statistics per service and signal, with the signal catalogue's scale floors and the
   * training pipeline's relative floor (the same estimator, so learned and trained baselines
   * agree on the same data). A series with fewer than `minPoints` points is skipped. Outbound
   * signals of a service that makes no outbound calls (per `callers` and the history read) and
   * has no series for them are structural zeros: center 0 and the signal's floor as scale.
   */
  fit(minPoints: number, learnedAt: number, callers: OutboundCallers): FittedBaselines {
    const services = new Map<string, Record<string, LearnedSignalBaseline>>();
    const skipped: string[] = [];
    let known: Set<string> | null = callers === null ? null : new Set(callers);
    if (this.#callers.size > 0) {
      known ??= new Set();
      for (const c of this.#callers) {
        known.add(c);
      }
    }
    for (const [service, entry] of this.#services) {
      const out: Record<string, LearnedSignalBaseline> = {};
      for (const [signal, column] of entry.columns) {
        if (column.size < minPoints) {
          skipped.push(`${service}.${signal}: ${column.size} of ${minPoints} points`);
          continue;
        }
        const spec = requireSignal('service', signal, `${service}.${signal}`);
        const stats = fitRobustStats(Array.from(column.values.subarray(0, column.size)), {
          absoluteFloor: spec.scaleFloor,
          relativeFloor: DEFAULT_RELATIVE_FLOOR,
          name: `${service}.${signal}`,
        });
        out[signal] = { center: stats.center, scale: stats.scale, count: stats.count, source: stats.source, learnedAt };
      }
      if (makesNoOutboundCalls(service, known)) {
        for (const signal of OUTBOUND_SIGNALS) {
          if (entry.columns.has(signal)) {
            continue;
          }
          if (entry.measuredPoints < minPoints) {
            skipped.push(`${service}.${signal}: ${entry.measuredPoints} of ${minPoints} points`);
            continue;
          }
          const spec = requireSignal('service', signal, `${service}.${signal}`);
          out[signal] = {
            center: 0,
            scale: spec.scaleFloor,
            count: entry.measuredPoints,
            source: 'structural',
            learnedAt,
          };
        }
      }
      if (Object.keys(out).length > 0) {
        services.set(service, out);
      }
    }
    return { services, skipped };
  }

  #column(entry: ServiceSamples, signal: string): Column {
    let column = entry.columns.get(signal);
    if (column === undefined) {
      column = {
        values: new Float64Array(this.#capacity),
        size: 0,
        next: 0,
        lastTaken: Number.NEGATIVE_INFINITY,
      };
      entry.columns.set(signal, column);
    }
    return column;
  }

  #push(column: Column, value: number): void {
    if (column.size < this.#capacity) {
      column.values[column.size++] = value;
      return;
    }
    column.values[column.next] = value;
    column.next = (column.next + 1) % this.#capacity;
  }
}
