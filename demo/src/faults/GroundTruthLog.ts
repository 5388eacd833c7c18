import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Edge } from '../topology/types.js';
import { faultParams, faultTarget, type FaultSpec } from './types.js';

/** One line of the ground-truth log. */
export interface GroundTruthRecord {
  id: string;
  type: FaultSpec['type'];
  target: string | Edge;
  /** When the fault took effect (ISO 8601). */
  start: string;
  /** When it stopped, or null while it is still in effect. */
  end: string | null;
  [param: string]: unknown;
}

/**
 * What really happened, for scoring detectors: a JSON-lines file with one line when a fault takes
 * effect (`end: null`) and a second, complete line with the same id when it stops. Readers take
 * the last line per id (see readGroundTruth). Lines are appended synchronously, so the file is
 * consistent whenever someone reads it mid-run.
 *
 * The file is truncated when the log is created: one file describes one run.
 */
export class GroundTruthLog {
  private readonly latest = new Map<string, GroundTruthRecord>();

  constructor(private readonly path?: string) {
    if (path !== undefined) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, '');
    }
  }

  started(fault: FaultSpec, atMs: number): void {
    this.write(record(fault, atMs, null));
  }

  ended(fault: FaultSpec, startMs: number, endMs: number): void {
    this.write(record(fault, startMs, endMs));
  }

  /** Latest record per fault id, in order of first appearance. */
  records(): GroundTruthRecord[] {
    return [...this.latest.values()];
  }

  private write(rec: GroundTruthRecord): void {
    this.latest.set(rec.id, rec);
    if (this.path !== undefined) {
      appendFileSync(this.path, `${JSON.stringify(rec)}\n`);
    }
  }
}

function record(fault: FaultSpec, startMs: number, endMs: number | null): GroundTruthRecord {
  return {
    id: fault.id,
    type: fault.type,
    target: faultTarget(fault),
    start: new Date(startMs).toISOString(),
    end: endMs === null ? null : new Date(endMs).toISOString(),
    ...faultParams(fault),
  };
}
