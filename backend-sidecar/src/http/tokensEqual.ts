import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented token with the expected one in time independent of where they differ.
 * Both are hashed first so the comparison also hides the expected token's length.
 */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
