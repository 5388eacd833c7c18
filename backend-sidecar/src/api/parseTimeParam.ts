import { ApiError } from '../http/ApiError.js';

const UNITS: Readonly<Record<string, number>> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};
const DURATION = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
/** Unix seconds before 2000 or after 2200 are almost certainly milliseconds or a typo. */
const MIN_TIME = 946_684_800;
const MAX_TIME = 7_258_118_400;

/** Seconds of a Prometheus-style duration ("90s", "5m", "1h30m"), or null when it is not one. */
export function parseDuration(text: string): number | null {
  if (!DURATION.test(text)) {
    return null;
  }
  let total = 0;
  for (const [, n, unit] of text.matchAll(PART)) {
    total += Number(n) * (UNITS[unit as string] as number);
  }
  return total;
}

/**
 * A time parameter as unix seconds: unix seconds, RFC 3339, `now`, or `now-<duration>` /
 * `now+<duration>`. Anything else is a 400 that names the parameter and the accepted forms.
 */
export function parseTimeParam(name: string, value: string, now: number): number {
  const text = value.trim();
  const bad = (why: string): never => {
    throw new ApiError(
      400,
      'bad_request',
      `querystring.${name}: ${why}; use unix seconds, RFC 3339 (2024-05-01T12:00:00Z), "now" or "now-1h"`
    );
  };
  if (text === 'now') {
    return now;
  }
  const relative = /^now([+-])(.+)$/.exec(text);
  if (relative !== null) {
    const seconds = parseDuration(relative[2] as string);
    if (seconds === null) {
      bad(`${JSON.stringify(relative[2])} is not a duration such as 30s, 5m, 1h`);
    }
    return relative[1] === '-' ? now - (seconds as number) : now + (seconds as number);
  }
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    const seconds = Number(text);
    if (seconds < MIN_TIME || seconds > MAX_TIME) {
      bad(`${text} is not a plausible unix time in seconds (milliseconds?)`);
    }
    return seconds;
  }
  if (RFC3339.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) {
      return ms / 1000;
    }
  }
  return bad(`cannot read ${JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text)} as a time`);
}

/** A step parameter: seconds or a duration. */
export function parseStepParam(value: string): number {
  const text = value.trim();
  const seconds = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : parseDuration(text);
  if (seconds === null || !(seconds > 0)) {
    throw new ApiError(
      400,
      'bad_request',
      `querystring.step: ${JSON.stringify(text.slice(0, 64))} is not a step; give seconds or a duration such as 30s, 5m`
    );
  }
  return seconds;
}
