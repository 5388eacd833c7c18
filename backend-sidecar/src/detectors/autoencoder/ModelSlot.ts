import type { LoadedModel } from './loadModel.js';

/** A model checked out for one inference batch; call `release` when the batch is done. */
export interface ModelLease {
  readonly model: LoadedModel;
  release(): void;
}

/**
 * Holds the model in service for one scope (the shared model, or one entity's) and swaps it
 * atomically: a replacement is loaded and test-run completely before it becomes current, and a
 * failed replacement leaves the current model serving. Replacements are serialised, so two
 * overlapping reloads cannot interleave. A replaced model's session is released only after the
 * batches already running on it have finished.
 */
export class ModelSlot {
  #current: LoadedModel | null = null;
  #lastError: Error | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #leases = new Map<LoadedModel, number>();
  readonly #retired = new Set<LoadedModel>();

  get current(): LoadedModel | null {
    return this.#current;
  }

  /** The last refused replacement, cleared by the next successful one. */
  get lastError(): Error | null {
    return this.#lastError;
  }

  /**
   * Runs `load` (which must fully load and probe the candidate) and puts its result into
   * service. If `load` throws, the error is kept in `lastError`, rethrown, and nothing changes.
   */
  replace(load: () => Promise<LoadedModel>): Promise<LoadedModel> {
    const run = async (): Promise<LoadedModel> => {
      let candidate: LoadedModel;
      try {
        candidate = await load();
      } catch (error) {
        this.#lastError = error instanceof Error ? error : new Error(String(error));
        throw error;
      }
      const previous = this.#current;
      this.#current = candidate;
      this.#lastError = null;
      if (previous !== null) {
        await this.#retire(previous);
      }
      return candidate;
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Takes the model out of service (e.g. an entity's fine-tuned model was deleted). */
  clear(): Promise<void> {
    const run = async (): Promise<void> => {
      const previous = this.#current;
      this.#current = null;
      if (previous !== null) {
        await this.#retire(previous);
      }
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Checks out the current model for one batch, or null when none is in service. */
  lease(): ModelLease | null {
    const model = this.#current;
    if (model === null) {
      return null;
    }
    this.#leases.set(model, (this.#leases.get(model) ?? 0) + 1);
    let released = false;
    return {
      model,
      release: () => {
        if (released) {
          return;
        }
        released = true;
        const left = (this.#leases.get(model) ?? 1) - 1;
        if (left > 0) {
          this.#leases.set(model, left);
          return;
        }
        this.#leases.delete(model);
        if (this.#retired.delete(model)) {
          void model.session.release().catch(() => undefined);
        }
      },
    };
  }

  async #retire(model: LoadedModel): Promise<void> {
    if ((this.#leases.get(model) ?? 0) > 0) {
      this.#retired.add(model);
      return;
    }
    await model.session.release().catch(() => undefined);
  }
}
