import type { ForecastPoint, ForecastStatus } from '../../detection/ForecastBank.js';
import { CANONICAL_SIGNALS, type SignalSpec } from '../../signals/index.js';
import { dataFrame, ms, type DataFrame } from './dataFrame.js';

/**
 * The five frames of docs/frames.md (forecast) from the forecaster's recent judgements and its
 * forecast path ahead: `actual`, `yhat`, `lower`, `upper`, `anomalous`, each `Time` + one value
 * field labelled with the target. The actual frame carries the latest accuracy.
 */
export function buildForecastFrames(
  status: ForecastStatus,
  points: readonly ForecastPoint[],
  range: { from: number; to: number }
): DataFrame[] {
  const inRange = points.filter((p) => p.t >= range.from && p.t <= range.to);
  const spec = (CANONICAL_SIGNALS[status.scope] as Readonly<Record<string, SignalSpec>>)[status.signal];
  const labels: Record<string, string> =
    status.scope === 'service'
      ? { scope: 'service', service: status.service ?? status.entity, signal: status.signal }
      : { scope: 'edge', client: status.client ?? '', server: status.server ?? '', signal: status.signal };
  const time = { name: 'Time', type: 'time' as const, values: inRange.map((p) => ms(p.t)) };
  const unit = spec === undefined ? {} : { config: { unit: spec.grafanaUnit } };
  const frame = (name: string, values: Array<number | null>, extra: object = unit, meta?: Record<string, unknown>) =>
    dataFrame(name, [time, { name, type: 'number', values, labels, ...extra }], meta);
  return [
    frame(
      'actual',
      inRange.map((p) => p.actual),
      unit,
      {
        custom: {
          mae: status.mae,
          mape: status.mape,
          mase: status.mase,
          coverage: status.coverage,
          trust: status.trust,
          state: status.state,
          model: status.model,
        },
      }
    ),
    frame(
      'yhat',
      inRange.map((p) => p.yhat)
    ),
    frame(
      'lower',
      inRange.map((p) => p.lower)
    ),
    frame(
      'upper',
      inRange.map((p) => p.upper)
    ),
    frame(
      'anomalous',
      inRange.map((p) => (p.actual === null ? null : p.anomalous ? 1 : 0)),
      {}
    ),
  ];
}
