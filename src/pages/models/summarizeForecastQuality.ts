import type { ForecastTarget } from '../api/sidecarTypes';
import { formatPercent } from '../format/formatPercent';

export interface ForecastQualityRow extends ForecastTarget {
  /** `service` or `client → server`. */
  target: string;
  /** Problems an operator should look at, in words. */
  warnings: string[];
}

export interface ForecastQuality {
  /** Worst first: warnings, then the highest MASE; targets still warming up last. */
  rows: ForecastQualityRow[];
  counts: { total: number; ok: number; warmup: number; fallback: number };
  /** Median MASE over targets that have one; below 1 beats seasonal naive. */
  medianMase: number | null;
  /** Targets whose interval coverage is below the level the forecaster needs. */
  lowCoverage: number;
}

/**
 * Recent quality of every forecaster: MASE of 1 or more means it does no better than repeating
 * the last season, and interval coverage under `minCoverage` means its bands are too narrow to
 * trust (the sidecar then falls back to robust bands; docs/configuration.md, forecast.forecaster).
 */
export function summarizeForecastQuality(targets: ForecastTarget[], minCoverage = 0.8): ForecastQuality {
  const rows = targets.map((t): ForecastQualityRow => {
    const warnings: string[] = [];
    if (t.state === 'fallback') {
      warnings.push('using the robust band: the model missed too often');
    }
    if (typeof t.mase === 'number' && t.mase >= 1) {
      warnings.push(`MASE ${t.mase.toFixed(2)}: no better than seasonal naive`);
    }
    if (typeof t.coverage === 'number' && t.coverage < minCoverage) {
      warnings.push(`interval coverage ${formatPercent(t.coverage)} below ${formatPercent(minCoverage)}`);
    }
    const target = t.scope === 'edge' ? `${t.client ?? '?'} → ${t.server ?? '?'}` : (t.service ?? '?');
    return { ...t, target, warnings };
  });
  rows.sort(
    (a, b) =>
      Number(a.state === 'warmup') - Number(b.state === 'warmup') ||
      b.warnings.length - a.warnings.length ||
      (b.mase ?? -1) - (a.mase ?? -1) ||
      a.target.localeCompare(b.target) ||
      a.signal.localeCompare(b.signal)
  );
  const mases = targets
    .map((t) => t.mase)
    .filter((m): m is number => typeof m === 'number' && Number.isFinite(m))
    .sort((a, b) => a - b);
  const medianMase =
    mases.length === 0
      ? null
      : mases.length % 2 === 1
        ? mases[(mases.length - 1) / 2]!
        : (mases[mases.length / 2 - 1]! + mases[mases.length / 2]!) / 2;
  return {
    rows,
    counts: {
      total: targets.length,
      ok: targets.filter((t) => t.state === 'ok').length,
      warmup: targets.filter((t) => t.state === 'warmup').length,
      fallback: targets.filter((t) => t.state === 'fallback').length,
    },
    medianMase,
    lowCoverage: targets.filter((t) => typeof t.coverage === 'number' && t.coverage < minCoverage).length,
  };
}
