/** A ratio in [0, 1] as a percentage ("97 %", "0.5 %"); an en dash when there is no value. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) {
    return '–';
  }
  const percent = ratio * 100;
  const digits = Math.abs(percent) < 10 && percent !== 0 && !Number.isInteger(percent) ? 1 : 0;
  return `${percent.toFixed(digits)} %`;
}
