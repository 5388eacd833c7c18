import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Retries `check` until it stops throwing or `timeoutMs` is over (then rethrows its last error).
 * For effects that land asynchronously, e.g. a server-side record written after the client has
 * already got its answer.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 3000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() >= deadline) {
        throw err;
      }
      await sleep(intervalMs);
    }
  }
}
