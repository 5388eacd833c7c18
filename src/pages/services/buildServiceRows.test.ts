import { selection, services } from '../testing/fixtures';
import { buildServiceRows } from './buildServiceRows';

describe('buildServiceRows', () => {
  const rows = buildServiceRows(selection, services);
  const byName = new Map(rows.map((row) => [row.service, row]));

  it('joins the selection with the live status of monitored services', () => {
    expect(byName.get('paymentservice')).toEqual(
      expect.objectContaining({
        monitored: true,
        team: 'payments',
        state: 'ok',
        score: 0.99,
        threshold: 0.95,
        trust: 0.9,
        reason: 'include rule 1 (namespace boutique)',
        override: null,
      })
    );
  });

  it('shows no detector state for services that are not monitored, and marks overrides', () => {
    expect(byName.get('loadgenerator')).toEqual(
      expect.objectContaining({ monitored: false, state: null, score: null, override: 'exclude' })
    );
  });

  it('keeps monitored services the selection does not list yet, and sorts by namespace and name', () => {
    expect(rows.map((row) => row.service)).toEqual([
      'adservice',
      'checkoutservice',
      'frontend',
      'loadgenerator',
      'paymentservice',
      'redis-cart',
      'coredns',
    ]);
  });

  it('treats a monitored service without status as unknown, not healthy', () => {
    const [row] = buildServiceRows(
      { overrides: {}, services: [{ service: 'new', monitored: true, reason: 'no include rules' }] },
      []
    );
    expect(row!.state).toBe('unknown');
  });
});
