import type { Counter, Gauge, LabelValues } from 'prom-client';

type Metric<L extends string> = Gauge<L> | Counter<L>;

/**
 * The label sets one metric currently exports, so each publish can remove the series of entities
 * that left (expired, excluded, moved to another shard, changed state) instead of repeating a
 * last value forever. Call begin(), then set()/touch() for every series that should exist, then
 * end() to remove the rest.
 */
export class SeriesSet<L extends string> {
  readonly #metric: Metric<L>;
  readonly #labelNames: readonly L[];
  #current = new Map<string, LabelValues<L>>();
  #next = new Map<string, LabelValues<L>>();

  constructor(metric: Metric<L>, labelNames: readonly L[]) {
    this.#metric = metric;
    this.#labelNames = labelNames;
  }

  begin(): void {
    this.#next = new Map();
  }

  #key(labels: LabelValues<L>): string {
    return this.#labelNames.map((name) => labels[name] ?? '\u0001').join('\u0000');
  }

  /** Sets a gauge series (counters: use touch and the counter itself). */
  set(labels: LabelValues<L>, value: number): void {
    (this.#metric as Gauge<L>).set(labels, value);
    this.#next.set(this.#key(labels), labels);
  }

  /** Marks a series as still wanted without changing it (counters). */
  touch(labels: LabelValues<L>): void {
    this.#next.set(this.#key(labels), labels);
  }

  end(): void {
    for (const [key, labels] of this.#current) {
      if (!this.#next.has(key)) {
        this.#metric.remove(labels);
      }
    }
    this.#current = this.#next;
  }

  get size(): number {
    return this.#current.size;
  }
}
