import type { SourceReading, TelemetryReading } from './TelemetryReader.js';

/** The reading's sources ordered by preference; sources not named keep their order after. */
export function preferenceOrder(reading: TelemetryReading, preference: readonly string[] | undefined): SourceReading[] {
  const sources = [...reading.sources];
  if (preference === undefined) {
    return sources;
  }
  const rank = (s: SourceReading): number => {
    const i = preference.indexOf(s.source);
    return i < 0 ? preference.length : i;
  };
  // Array.prototype.sort is stable, so unnamed sources keep the presets' order.
  return sources.sort((a, b) => rank(a) - rank(b));
}
