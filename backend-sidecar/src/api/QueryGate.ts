import { ApiError } from '../http/ApiError.js';

/**
 * Bounds the Prometheus reads the API makes on request: at most `concurrency` at once, at most
 * `queue` waiting; beyond that a request is refused with 429 rather than piling load onto
 * Prometheus (the detection loop shares it).
 */
export class QueryGate {
  readonly #concurrency: () => number;
  readonly #queue: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(concurrency: () => number, queue = 32) {
    this.#concurrency = concurrency;
    this.#queue = queue;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#concurrency()) {
      if (this.#waiting.length >= this.#queue) {
        throw new ApiError(429, 'too_many_requests', 'too many Prometheus reads in flight; retry in a few seconds');
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.#active++;
    try {
      return await work();
    } finally {
      this.#active--;
      this.#waiting.shift()?.();
    }
  }
}
