import type { Metric, Registry } from 'prom-client';

/** One series of a computed metric: its labels and value. */
export interface ComputedSample<L extends string> {
  readonly labels: Readonly<Record<L, string>>;
  readonly value: number;
}

export interface ComputedMetricOptions<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly labelNames: readonly L[];
  readonly registers: readonly Registry[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A metric family whose series are computed when the registry is read (a scrape), from whatever
 * `collectFrom` was given: for the per-service and per-edge families of a mesh with thousands of
 * services, writing every series into prom-client's label maps each cycle (hashing label sets,
 * removing the series of entities that left) cost seconds per cycle for values that are mostly
 * never scraped before the next cycle replaces them. Computing them from the published cycle at
 * scrape time costs one pass per scrape and nothing per cycle, and a series exists exactly while
 * the published state has it. The registry formats the samples like those of its own metrics.
 */
export class ComputedMetric<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly labelNames: readonly L[];
  readonly aggregator = 'sum';
  #collect: () => Array<ComputedSample<L>> = () => [];

  constructor(options: ComputedMetricOptions<L>) {
    if (!NAME.test(options.name)) {
      throw new Error(`invalid metric name ${JSON.stringify(options.name)}`);
    }
    const bad = options.labelNames.find((l) => !LABEL.test(l) || l.startsWith('__'));
    if (bad !== undefined) {
      throw new Error(`invalid label name ${JSON.stringify(bad)} of ${options.name}`);
    }
    this.name = options.name;
    this.help = options.help;
    this.type = options.type;
    this.labelNames = options.labelNames;
    for (const registry of options.registers) {
      // The registry reads name, help, type and get() of what it holds, which this provides.
      registry.registerMetric(this as unknown as Metric<L>);
    }
  }

  /** Where the series come from from now on (called at every read of the registry; fresh samples each time). */
  collectFrom(collect: () => Array<ComputedSample<L>>): void {
    this.#collect = collect;
  }

  /** The family as prom-client's registry reads it. */
  async get(): Promise<{
    name: string;
    help: string;
    type: 'gauge' | 'counter';
    aggregator: 'sum';
    values: Array<ComputedSample<L>>;
  }> {
    // A scrape reads every family at once; computing each in its own turn of the event loop
    // lets requests in between be answered during a scrape of a large mesh.
    await new Promise<void>((resolve) => setImmediate(resolve));
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.#collect() };
  }

  /** Nothing to reset: the series are whatever the source holds. */
  reset(): void {}
}
