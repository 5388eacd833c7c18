import type { FaultStatus } from '../faults/FaultController.js';

/** One service's row: undefined where Prometheus had no sample (shown as "-", never as 0). */
export interface ServiceHealth {
  service: string;
  requestsPerSecond?: number;
  errorRatio?: number;
  p95Ms?: number;
}

function cell(value: number | undefined, digits: number, width: number): string {
  const text = value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits);
  return text.padStart(width);
}

function faultTarget(fault: FaultStatus): string {
  return typeof fault.target === 'string' ? fault.target : `${fault.target.client}->${fault.target.server}`;
}

/**
 * The console table the embedded demo prints each interval: one row per service with what its
 * callers see, and the faults active at that moment (the ground truth to compare against).
 */
export function formatHealthTable(at: Date, rows: ServiceHealth[], faults: FaultStatus[]): string[] {
  const width = Math.max('service'.length, ...rows.map((row) => row.service.length));
  const active = faults.filter((fault) => fault.state === 'active');
  const faultedBy = new Map<string, string[]>();
  for (const fault of active) {
    const target = typeof fault.target === 'string' ? fault.target : fault.target.server;
    faultedBy.set(target, [...(faultedBy.get(target) ?? []), `${fault.type}:${fault.id}`]);
  }
  const lines = [
    `--- ${at.toISOString()}  ${active.length === 0 ? 'no active fault' : `${active.length} active fault(s)`}`,
    `${'service'.padEnd(width)}  ${'req/s'.padStart(8)}  ${'errors %'.padStart(8)}  ${'p95 ms'.padStart(8)}  fault`,
  ];
  for (const row of [...rows].sort((a, b) => a.service.localeCompare(b.service))) {
    lines.push(
      `${row.service.padEnd(width)}  ${cell(row.requestsPerSecond, 2, 8)}  ${cell(
        row.errorRatio === undefined ? undefined : row.errorRatio * 100,
        1,
        8
      )}  ${cell(row.p95Ms, 1, 8)}  ${faultedBy.get(row.service)?.join(', ') ?? ''}`
    );
  }
  for (const fault of active) {
    lines.push(`  active: ${fault.id} (${fault.type} on ${faultTarget(fault)}) since ${fault.start}`);
  }
  return lines;
}
