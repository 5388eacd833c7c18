/** One signal's values on the export grid (an AlignedSeries fits). */
export interface TrainingColumn {
  readonly values: readonly number[];
  readonly missing: readonly boolean[];
  readonly interpolated: readonly boolean[];
}

/**
 * One service's signals as the training pipeline's CSV: a `timestamp` column (unix seconds) and
 * one column per signal in the given order; a missing point is an empty cell (never 0, which
 * would teach the model that a gap is a normal value); points the reader interpolated are left
 * empty too, so the training pipeline applies its own gap policy. Rows are in time order.
 */
export function formatTrainingCsv(
  timestamps: readonly number[],
  signals: readonly string[],
  series: ReadonlyMap<string, TrainingColumn>
): string {
  const lines = [['timestamp', ...signals].join(',')];
  timestamps.forEach((t, i) => {
    const cells = signals.map((name) => {
      const s = series.get(name);
      if (s === undefined || s.missing[i] === true || s.interpolated[i] === true) {
        return '';
      }
      const v = s.values[i] as number;
      return Number.isFinite(v) ? String(v) : '';
    });
    lines.push([String(t), ...cells].join(','));
  });
  return `${lines.join('\n')}\n`;
}
