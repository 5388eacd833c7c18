import type { FittedBaselines, LearnedSignalBaseline } from './BaselineSamples.js';

export type LearnedBaselineMap = ReadonlyMap<string, Readonly<Record<string, LearnedSignalBaseline>>>;

/**
 * The baselines after a learning run: each signal a run fitted (from enough points) replaces
 * the earlier statistic; every other one stays. A run over a period that was mostly excluded (a
 * long incident) or missing therefore never replaces good baselines with ones from a handful of
 * points. Returns the new map and the services whose statistics changed.
 */
export function mergeLearnedBaselines(
  current: LearnedBaselineMap,
  fitted: FittedBaselines
): { baselines: Map<string, Readonly<Record<string, LearnedSignalBaseline>>>; updated: string[] } {
  const baselines = new Map(current);
  const updated: string[] = [];
  for (const [service, signals] of fitted.services) {
    baselines.set(service, { ...(current.get(service) ?? {}), ...signals });
    updated.push(service);
  }
  return { baselines, updated };
}
