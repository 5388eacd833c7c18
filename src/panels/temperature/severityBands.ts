import type { SeverityBand, SeverityLevel } from './types';

/**
 * Runs of an open incident as bands: a run starts at the first sample with severity 1 (SEV2) or
 * 2 (SEV1) and lasts until the next sample with another severity (or the last sample). Unknown
 * samples (null) end a run: the chart does not claim an incident it has no data for.
 */
export function severityBands(time: readonly number[], severity: ReadonlyArray<SeverityLevel | null>): SeverityBand[] {
  const bands: SeverityBand[] = [];
  let open: SeverityBand | null = null;
  for (let i = 0; i < time.length; i++) {
    const level = severity[i] ?? null;
    const at = time[i]!;
    if (open !== null && level !== open.severity) {
      open.to = at;
      bands.push(open);
      open = null;
    }
    if (open === null && (level === 1 || level === 2)) {
      open = { from: at, to: at, severity: level };
    }
  }
  if (open !== null) {
    open.to = time[time.length - 1]!;
    bands.push(open);
  }
  return bands;
}
