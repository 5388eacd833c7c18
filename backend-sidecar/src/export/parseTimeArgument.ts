const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * A time given on the command line: unix seconds, RFC 3339, `now`, or `now-<n><s|m|h|d|w>`.
 * Returns unix seconds; the error names the flag and the accepted forms.
 */
export function parseTimeArgument(text: string, now: number, flag: string): number {
  const trimmed = text.trim();
  if (trimmed === 'now') {
    return now;
  }
  const relative = /^now-(\d+(?:\.\d+)?)([smhdw])$/.exec(trimmed);
  if (relative !== null) {
    return now - Number(relative[1]) * (UNITS[relative[2] as string] as number);
  }
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Number(trimmed);
  }
  const parsed = Date.parse(trimmed);
  if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed) && Number.isFinite(parsed)) {
    return parsed / 1000;
  }
  throw new Error(`${flag}: "${text}" is not a time; use unix seconds, RFC 3339 (2026-01-02T15:04:05Z) or now-6h`);
}
