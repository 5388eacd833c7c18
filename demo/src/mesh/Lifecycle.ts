/**
 * Everything a running mesh has in flight that could keep the process alive after stop(): sleeps
 * of simulated latency, in-flight sockets, repeating timers of faults. stop() closes it, which
 * ends sleeps at once, destroys what is tracked and clears the timers, so the process can exit.
 */
export class Lifecycle {
  private readonly sleeps = new Map<NodeJS.Timeout, () => void>();
  private readonly tracked = new Set<{ destroy(): void }>();
  private readonly intervals = new Set<NodeJS.Timeout>();
  private closedFlag = false;

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Waits `ms` (real time); resolves early when the lifecycle closes. */
  sleep(ms: number): Promise<void> {
    if (this.closedFlag || !(ms > 0)) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeps.delete(timer);
        resolve();
      }, ms);
      this.sleeps.set(timer, resolve);
    });
  }

  /** Keeps `item` to be destroyed on close; returns a function that forgets it. */
  track(item: { destroy(): void }): () => void {
    if (this.closedFlag) {
      item.destroy();
      return () => {};
    }
    this.tracked.add(item);
    return () => this.tracked.delete(item);
  }

  /** A repeating timer cleared on close; returns a function that clears it earlier. */
  every(ms: number, tick: () => void): () => void {
    if (this.closedFlag) {
      return () => {};
    }
    const timer = setInterval(tick, ms);
    this.intervals.add(timer);
    return () => {
      clearInterval(timer);
      this.intervals.delete(timer);
    };
  }

  close(): void {
    this.closedFlag = true;
    for (const [timer, resolve] of this.sleeps) {
      clearTimeout(timer);
      resolve();
    }
    this.sleeps.clear();
    for (const timer of this.intervals) {
      clearInterval(timer);
    }
    this.intervals.clear();
    for (const item of this.tracked) {
      item.destroy();
    }
    this.tracked.clear();
  }
}
