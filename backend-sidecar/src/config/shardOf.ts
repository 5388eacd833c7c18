/**
 * The shard (0..count-1) that owns a key: 32-bit FNV-1a of its UTF-8 bytes, modulo count.
 * Stable across processes and versions, which is what lets each replica pick its services
 * without talking to the others.
 */
export function shardOf(key: string, count: number): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}
