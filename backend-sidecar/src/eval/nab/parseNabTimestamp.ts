const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/**
 * Unix milliseconds of a NAB timestamp (`2014-04-10 07:15:00` in the data,
 * `2014-04-10 07:15:00.000000` in the labels). Both are read as UTC so that equal instants
 * compare equal whatever the machine's zone.
 */
export function parseNabTimestamp(text: string): number {
  const m = PATTERN.exec(text.trim());
  if (m === null) {
    throw new Error(`not a NAB timestamp: "${text}"`);
  }
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}
