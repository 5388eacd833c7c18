import type { ReadRange, TelemetryReading } from '../adapters/TelemetryReader.js';

/**
 * Reads a long history as consecutive grid chunks of at most `maxPoints` points, oldest first,
 * handing each to `consume` before the next is read. One query per (source, signal) per chunk:
 * the chunk length keeps each query's series × points within Prometheus' and the client's
 * limits in large meshes, and memory holds one chunk at a time.
 */
export async function readHistoryInChunks(
  read: (range: ReadRange) => Promise<TelemetryReading>,
  range: { start: number; end: number; step: number; signal?: AbortSignal },
  maxPoints: number,
  consume: (reading: TelemetryReading) => void | Promise<void>
): Promise<number> {
  const { start, end, step } = range;
  let chunks = 0;
  for (let from = start; from <= end; from += maxPoints * step) {
    if (range.signal?.aborted === true) {
      break;
    }
    const to = Math.min(end, from + (maxPoints - 1) * step);
    const reading = await read({ start: from, end: to, step, ...(range.signal ? { signal: range.signal } : {}) });
    chunks++;
    await consume(reading);
  }
  return chunks;
}
