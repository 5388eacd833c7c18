/** Share of every file NAB leaves unscored so detectors can learn (NAB's runner uses 15 %). */
export const DEFAULT_PROBATIONARY_PERCENT = 0.15;

/** Longest probationary period, in records, as a multiple of the percentage (NAB caps at 5000 rows' worth). */
const PROBATION_CAP_ROWS = 5000;

/**
 * Number of leading records of a file of `fileLength` records that are not scored: 15 % of the
 * file rounded down, but never more than 15 % of 5000 records (750), so long files are not
 * mostly probation. The result may be fractional for other percentages; records with
 * index ≥ the result are scored, as in NAB.
 */
export function probationaryLength(fileLength: number, percent = DEFAULT_PROBATIONARY_PERCENT): number {
  return Math.min(Math.floor(percent * fileLength), percent * PROBATION_CAP_ROWS);
}
