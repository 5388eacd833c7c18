const DURATION = /^(-?(?:\d+(?:\.\d+)?|\.\d+))\s*(ms|s|m|h)?$/;
const SECONDS_PER_UNIT: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

/**
 * Seconds from a number of seconds or a string such as "90", "90s", "1.5m", "2h", "250ms".
 * Units matter because a compressed day is easier to read as "10m" than as 600; a bare number
 * is seconds. Returns undefined for anything else, so the caller can say where it was.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = DURATION.exec(value.trim());
  if (!match) {
    return undefined;
  }
  return Number(match[1]) * (SECONDS_PER_UNIT[match[2] ?? 's'] ?? 1);
}
