import { readFileSync } from 'node:fs';
import type { GroundTruthRecord } from './GroundTruthLog.js';

/**
 * Reads a ground-truth log written by GroundTruthLog: the last line per fault id wins, so a fault
 * still in effect has `end: null`. A partly written last line (a reader racing the writer) is
 * skipped rather than failing the read.
 */
export function readGroundTruth(path: string): GroundTruthRecord[] {
  const latest = new Map<string, GroundTruthRecord>();
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      return;
    }
    let rec: GroundTruthRecord;
    try {
      rec = JSON.parse(line) as GroundTruthRecord;
    } catch (err) {
      if (i === lines.length - 1) {
        return;
      }
      throw new Error(`${path}:${i + 1}: not a JSON object (${(err as Error).message})`);
    }
    latest.set(rec.id, rec);
  });
  return [...latest.values()];
}
