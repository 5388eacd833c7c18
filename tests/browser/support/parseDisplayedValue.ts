/** Base-unit factor of each suffix Grafana's value formats give the signals' units (s, reqps, percentunit). */
const SUFFIXES: Readonly<Record<string, number>> = {
  ns: 1e-9,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  min: 60,
  hour: 3600,
  'req/s': 1,
  'K req/s': 1e3,
  'M req/s': 1e6,
  '%': 0.01,
};

/**
 * The number behind a value as a panel displays it ("4.83 ms", "1.2 K req/s", "12.5%"), in the
 * signal's base unit, with how far the true value may lie from it given the digits shown (half a
 * unit of the last digit). Throws for a text it cannot read, naming the suffixes it knows.
 */
export function parseDisplayedValue(text: string): { value: number; tolerance: number } {
  const match = /^(-?\d+(?:\.(\d+))?)\s*(.*)$/.exec(text.trim());
  const factor = match ? SUFFIXES[match[3]!] : undefined;
  if (!match || factor === undefined) {
    throw new Error(`"${text}" is not a displayed value with one of the suffixes ${Object.keys(SUFFIXES).join(', ')}`);
  }
  const decimals = match[2]?.length ?? 0;
  return { value: Number(match[1]) * factor, tolerance: 0.5 * 10 ** -decimals * factor };
}
