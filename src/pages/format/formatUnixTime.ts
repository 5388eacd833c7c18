import { dateTimeFormat } from '@grafana/data';

/** Unix seconds as Grafana formats a time for the user's time zone; an en dash when unknown. */
export function formatUnixTime(seconds: number | null | undefined, timeZone?: string): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '–';
  }
  return dateTimeFormat(seconds * 1000, timeZone ? { timeZone } : undefined);
}
