/**
 * A span of seconds as the two largest units: "45 s", "12 min 5 s", "3 h 20 min", "2 d 4 h"; a
 * span under a second in milliseconds ("241 ms"), since "0 s" would read as no time at all.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return '–';
  }
  if (seconds > 0 && Math.round(seconds * 1000) < 1000) {
    return `${Math.round(seconds * 1000)} ms`;
  }
  const units: Array<[string, number]> = [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [name, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0 || (parts.length === 0 && size === 1)) {
      parts.push(`${count} ${name}`);
      rest -= count * size;
    }
    if (parts.length === 2) {
      break;
    }
    if (parts.length === 1 && count === 0) {
      // A gap (e.g. 2 h 0 min 5 s) ends the precision instead of skipping a unit.
      break;
    }
  }
  return parts.join(' ');
}
