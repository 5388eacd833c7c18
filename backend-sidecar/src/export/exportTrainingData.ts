import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { selectServiceSignals } from '../adapters/selectServiceSignals.js';
import type { ReadRange, TelemetryReading } from '../adapters/TelemetryReader.js';
import { observedEntities } from '../detection/observedEntities.js';
import { readHistoryInChunks } from '../detection/readHistoryInChunks.js';
import { OUTBOUND_SIGNALS } from '../detection/serviceWindowSeries.js';
import { formatTrainingCsv, type TrainingColumn } from './formatTrainingCsv.js';

export interface ExportTrainingDataOptions {
  /** The sidecar's own reader: the same presets, rate window and source preference it detects with. */
  readonly read: (range: ReadRange) => Promise<TelemetryReading>;
  readonly start: number;
  readonly end: number;
  readonly step: number;
  /** Service signals to export, in the model's channel order. */
  readonly signals: readonly string[];
  /** Most grid points per query (Prometheus refuses more than 11,000). */
  readonly maxPoints: number;
  readonly outDir: string;
  /** Keep only these services (all with data when empty). */
  readonly services?: readonly string[];
}

export interface ExportSummary {
  readonly services: number;
  readonly rows: number;
  readonly files: readonly string[];
  /** Share of present values per signal over all exported services. */
  readonly coverage: Readonly<Record<string, number>>;
}

interface Column {
  values: number[];
  missing: boolean[];
  interpolated: boolean[];
}

/**
 * Writes the canonical service signals the sidecar sees, one CSV per service, for training a
 * model on this deployment's own telemetry (`seismo_training train --data NAME=FILE ...`). It
 * reads through the sidecar's telemetry reader, so the model learns exactly the values it will
 * score: the same PromQL templates, rate window, step and choice of source per signal.
 */
export async function exportTrainingData(options: ExportTrainingDataOptions): Promise<ExportSummary> {
  const wanted = options.services === undefined || options.services.length === 0 ? null : new Set(options.services);
  const columns = new Map<string, Map<string, Column>>();
  const timestamps: number[] = [];
  // Services seen calling another one: the others' missing outbound signals are structural zeros.
  const callers = new Set<string>();
  let edges = 0;
  await readHistoryInChunks(
    options.read,
    { start: options.start, end: options.end, step: options.step },
    options.maxPoints,
    (reading) => {
      const offset = timestamps.length;
      timestamps.push(...reading.grid.timestamps);
      for (const edge of observedEntities(reading).edges.values()) {
        callers.add(edge.client);
        edges++;
      }
      for (const [service, signals] of selectServiceSignals(reading)) {
        if (wanted !== null && !wanted.has(service)) {
          continue;
        }
        let byName = columns.get(service);
        if (byName === undefined) {
          byName = new Map();
          columns.set(service, byName);
        }
        for (const name of options.signals) {
          let column = byName.get(name);
          if (column === undefined) {
            column = { values: [], missing: [], interpolated: [] };
            byName.set(name, column);
          }
          // Pad a column that had no data in earlier chunks, so rows stay aligned.
          while (column.values.length < offset) {
            column.values.push(Number.NaN);
            column.missing.push(true);
            column.interpolated.push(false);
          }
          const series = signals.get(name)?.series;
          for (let i = 0; i < reading.grid.length; i++) {
            column.values.push(series === undefined ? Number.NaN : (series.values[i] as number));
            column.missing.push(series === undefined ? true : (series.missing[i] as boolean));
            column.interpolated.push(series === undefined ? false : (series.interpolated[i] as boolean));
          }
        }
      }
    }
  );
  mkdirSync(options.outDir, { recursive: true });
  const files: string[] = [];
  const present: Record<string, number> = Object.fromEntries(options.signals.map((s) => [s, 0]));
  for (const [service, byName] of [...columns].sort(([a], [b]) => a.localeCompare(b))) {
    const series = new Map<string, TrainingColumn>();
    for (const name of options.signals) {
      const column = byName.get(name) as Column;
      while (column.values.length < timestamps.length) {
        column.values.push(Number.NaN);
        column.missing.push(true);
        column.interpolated.push(false);
      }
      series.set(name, column);
    }
    if (edges > 0 && !callers.has(service)) {
      fillStructuralZeros(series, options.signals);
    }
    for (const name of options.signals) {
      present[name] = (present[name] ?? 0) + (series.get(name) as Column).missing.filter((m) => !m).length;
    }
    const file = join(options.outDir, `${service.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv`);
    writeFileSync(file, formatTrainingCsv(timestamps, options.signals, series));
    files.push(file);
  }
  const cells = Math.max(1, columns.size * timestamps.length);
  return {
    services: columns.size,
    rows: timestamps.length,
    files,
    coverage: Object.fromEntries(options.signals.map((s) => [s, (present[s] ?? 0) / cells])),
  };
}

/**
 * A service that never called another one in the range has no outbound series at all; the
 * sidecar scores its outbound signals as zeros (no calls) where its other signals were measured,
 * so the training data says the same.
 */
function fillStructuralZeros(series: Map<string, TrainingColumn>, signals: readonly string[]): void {
  const outbound = signals.filter((s) => OUTBOUND_SIGNALS.includes(s));
  const measured = signals.filter((s) => !OUTBOUND_SIGNALS.includes(s)).map((s) => series.get(s) as Column);
  for (const name of outbound) {
    const column = series.get(name) as Column;
    if (column.missing.some((m) => !m)) {
      continue;
    }
    for (let i = 0; i < column.values.length; i++) {
      if (measured.some((m) => !m.missing[i] && !m.interpolated[i])) {
        column.values[i] = 0;
        column.missing[i] = false;
      }
    }
  }
}
