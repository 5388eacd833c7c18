import { closedIncident, edges, openIncident, services } from '../testing/fixtures';
import { summarizeOverview } from './summarizeOverview';

describe('summarizeOverview', () => {
  const summary = summarizeOverview({
    incidents: [
      closedIncident,
      { ...openIncident, id: 'sev2', severity: 'SEV2', openedAt: 1_700_000_900 },
      openIncident,
    ],
    services,
    edges,
  });

  it('lists open incidents only, SEV1 before SEV2', () => {
    expect(summary.openIncidents.map((i) => i.id)).toEqual(['inc-1700000450', 'sev2']);
  });

  it('ranks services with a score, anomalous ones first, and never lists one without a score', () => {
    expect(summary.anomalousServices.map((s) => s.service)).toEqual(['paymentservice', 'checkoutservice', 'frontend']);
    expect(summary.anomalousEdges.map((e) => e.server)).toEqual(['paymentservice', 'checkoutservice']);
  });

  it('puts stale detectors before warming-up ones, with their reasons', () => {
    expect(summary.notReady).toEqual([
      { kind: 'service', name: 'redis-cart', state: 'stale', reasons: ['no data for 5 min'] },
      { kind: 'edge', name: 'frontend → adservice', state: 'warmup', reasons: [] },
      { kind: 'service', name: 'adservice', state: 'warmup', reasons: ['12 of 60 steps collected'] },
    ]);
  });

  it('counts detector states over services', () => {
    expect(summary.stateCounts).toEqual({ ok: 3, warmup: 1, stale: 1, unknown: 0, fallback: 0 });
  });

  it('limits the score lists', () => {
    expect(summarizeOverview({ incidents: [], services, edges }, 1).anomalousServices).toHaveLength(1);
  });
});
