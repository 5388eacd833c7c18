/** Whole grid steps in `seconds` (rounded), at least 1: durations in the config become step counts. */
export function stepsIn(seconds: number, step: number): number {
  return Math.max(1, Math.round(seconds / step));
}
