import { setTimeout as sleep } from 'node:timers/promises';

/** What one poll attempt found: the awaited value, or a description of the state so far. */
export type PollOutcome<T> = { done: true; value: T } | { done: false; state: string };

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /** Errors for which polling is pointless (e.g. a PromQL syntax error); rethrown at once.
   * Other errors count as "not yet" and the last one is reported on timeout. */
  isFatal?: (error: unknown) => boolean;
}

/**
 * Calls attempt until it reports done or the timeout passes. The timeout error names what was
 * awaited and the last state or error seen, which is what one needs to debug a flaky wait.
 */
export async function pollUntil<T>(
  what: string,
  attempt: () => Promise<PollOutcome<T>>,
  options: PollOptions
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no attempt finished';
  for (;;) {
    try {
      const outcome = await attempt();
      if (outcome.done) {
        return outcome.value;
      }
      last = outcome.state;
    } catch (error) {
      if (options.isFatal?.(error) === true) {
        throw error;
      }
      last = `error: ${error instanceof Error ? error.message : String(error)}`;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}; last seen: ${last}`);
    }
    await sleep(Math.min(options.intervalMs, remaining));
  }
}
