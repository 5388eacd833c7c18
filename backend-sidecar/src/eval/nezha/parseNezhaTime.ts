const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:\s*(?:([+-])(\d{2}):?(\d{2})|Z))?/;

/**
 * Unix seconds from the timestamps Nezha writes: "2022-08-22 03:51:19.607158889 +0000 UTC
 * m=+0.1" in metric files, "2022-08-22 03:53:54" in fault lists. A time without an offset is
 * UTC, as the metric files of the same days state theirs to be. Returns NaN for anything else.
 */
export function parseNezhaTime(text: string): number {
  const m = PATTERN.exec(text.trim());
  if (!m) {
    return Number.NaN;
  }
  const [, y, mo, d, h, mi, s, frac, sign, oh, om] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
  if (frac) {
    t += Number(frac);
  }
  if (sign) {
    const offset = (Number(oh) * 60 + Number(om)) * 60;
    t -= sign === '+' ? offset : -offset;
  }
  return t;
}
