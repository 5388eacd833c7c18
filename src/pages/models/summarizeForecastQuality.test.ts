import { forecastTargets } from '../testing/fixtures';
import { summarizeForecastQuality } from './summarizeForecastQuality';

describe('summarizeForecastQuality', () => {
  const quality = summarizeForecastQuality(forecastTargets);

  it('puts targets that need attention first and warming-up ones last', () => {
    expect(quality.rows.map((row) => `${row.target}/${row.signal}`)).toEqual([
      'frontend → checkoutservice/request_rate',
      'frontend/latency_p95',
      'adservice/latency_p95',
    ]);
  });

  it('says why a forecaster needs attention', () => {
    expect(quality.rows[0]!.warnings).toEqual([
      'using the robust band: the model missed too often',
      'MASE 1.30: no better than seasonal naive',
      'interval coverage 62 % below 80 %',
    ]);
    expect(quality.rows[1]!.warnings).toEqual([]);
  });

  it('counts states and takes the median MASE over targets that have one', () => {
    expect(quality.counts).toEqual({ total: 3, ok: 1, warmup: 1, fallback: 1 });
    expect(quality.medianMase).toBeCloseTo(0.95);
    expect(quality.lowCoverage).toBe(1);
    expect(summarizeForecastQuality([]).medianMase).toBeNull();
  });
});
