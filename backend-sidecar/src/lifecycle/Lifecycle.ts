/** Something with a running phase: the detection loop, a refit scheduler, a feedback store. */
export interface Component {
  readonly name: string;
  start?(): void | Promise<void>;
  /** Should return promptly once `signal` aborts (the shutdown deadline passed). */
  stop?(signal: AbortSignal): void | Promise<void>;
}

export type LifecycleState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

export interface StopReport {
  /** In the order they were stopped (reverse of start). */
  readonly stopped: readonly string[];
  readonly failed: ReadonlyArray<{ readonly name: string; readonly error: string }>;
  /**
   * Components that had not finished when the deadline passed: the one being stopped then, and
   * those after it, which were asked to stop with the aborted signal but not awaited.
   */
  readonly timedOut: readonly string[];
}

export interface LifecycleTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: LifecycleTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Starts registered components in order and stops them in reverse, so a component can rely on
 * everything registered before it while it runs and while it stops. Stopping shares one
 * deadline: a component that does not finish in time is abandoned (and reported) so the
 * process can still exit within its grace period.
 */
export class Lifecycle {
  readonly #components: Component[] = [];
  readonly #started: Component[] = [];
  readonly #timers: LifecycleTimers;
  #state: LifecycleState = 'idle';
  #stopping: Promise<StopReport> | null = null;

  constructor(options: { timers?: LifecycleTimers } = {}) {
    this.#timers = options.timers ?? realTimers;
  }

  get state(): LifecycleState {
    return this.#state;
  }

  /** Registers a component; only before start(). */
  add(component: Component): void {
    if (this.#state !== 'idle') {
      throw new Error(`cannot add component "${component.name}": the lifecycle is ${this.#state}`);
    }
    this.#components.push(component);
  }

  /**
   * Starts every component in registration order. If one fails, those already started are
   * stopped again (in reverse) and the error is rethrown, naming the component.
   */
  async start(): Promise<void> {
    if (this.#state !== 'idle') {
      throw new Error(`cannot start: the lifecycle is ${this.#state}`);
    }
    this.#state = 'starting';
    for (const component of this.#components) {
      if (this.#state !== 'starting') {
        break;
      }
      try {
        await component.start?.();
        this.#started.push(component);
      } catch (error) {
        await this.stop({ timeoutMs: 10_000 });
        throw new Error(`component "${component.name}" failed to start: ${message(error)}`, { cause: error });
      }
    }
    if (this.#state === 'starting') {
      this.#state = 'running';
    }
  }

  /**
   * Stops started components in reverse order within `timeoutMs`. Idempotent. Called during
   * start(), it stops those already started and start() does not start the rest.
   */
  stop(options: { timeoutMs: number }): Promise<StopReport> {
    this.#stopping ??= this.#stopAll(options.timeoutMs);
    return this.#stopping;
  }

  async #stopAll(timeoutMs: number): Promise<StopReport> {
    this.#state = 'stopping';
    const controller = new AbortController();
    let expired = false;
    let wake: () => void = () => undefined;
    const deadline = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const timer = this.#timers.setTimeout(() => {
      expired = true;
      controller.abort(new Error(`shutdown deadline of ${timeoutMs} ms passed`));
      wake();
    }, timeoutMs);

    const stopped: string[] = [];
    const failed: Array<{ name: string; error: string }> = [];
    const timedOut: string[] = [];
    const order = [...this.#started].reverse();
    for (const component of order) {
      if (expired) {
        // Past the deadline: still asked (with the aborted signal) so it can release what it
        // can synchronously, but not awaited.
        timedOut.push(component.name);
        Promise.resolve()
          .then(() => component.stop?.(controller.signal))
          .catch(() => undefined);
        continue;
      }
      try {
        const done = Promise.resolve(component.stop?.(controller.signal)).then(() => 'done' as const);
        const outcome = await Promise.race([done, deadline.then(() => 'expired' as const)]);
        if (outcome === 'done') {
          stopped.push(component.name);
        } else {
          timedOut.push(component.name);
        }
      } catch (error) {
        failed.push({ name: component.name, error: message(error) });
      }
    }
    this.#timers.clearTimeout(timer);
    this.#state = 'stopped';
    return { stopped, failed, timedOut };
  }
}
