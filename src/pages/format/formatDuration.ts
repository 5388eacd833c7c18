/** A span of seconds as the two largest units: "45 s", "12 min 5 s", "3 h 20 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return '–';
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
