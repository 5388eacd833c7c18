import { closedIncident, openIncident } from '../testing/fixtures';
import { feedbackForIncident } from './feedbackForIncident';

describe('feedbackForIncident', () => {
  it('sends one item per affected entity over the open incident up to now', () => {
    expect(
      feedbackForIncident(openIncident, 'false_positive', 1_700_000_900, { note: '  deploy  ', author: 'ana' })
    ).toEqual([
      {
        kind: 'false_positive',
        scope: 'service',
        entity: 'paymentservice',
        from: 1_700_000_450,
        to: 1_700_000_900,
        incidentId: 'inc-1700000450',
        note: 'deploy',
        author: 'ana',
      },
      {
        kind: 'false_positive',
        scope: 'edge',
        entity: 'checkoutservice->paymentservice',
        from: 1_700_000_450,
        to: 1_700_000_900,
        incidentId: 'inc-1700000450',
        note: 'deploy',
        author: 'ana',
      },
    ]);
  });

  it('covers a closed incident up to its close and leaves empty notes out', () => {
    const [item] = feedbackForIncident(closedIncident, 'expected', 1_800_000_000, { note: ' ' });
    expect(item).toEqual({
      kind: 'expected',
      scope: 'service',
      entity: 'currencyservice',
      from: 1_699_990_000,
      to: 1_699_990_600,
      incidentId: 'inc-1699990000',
    });
  });

  it('keeps `to` after `from` for an incident judged in its first second', () => {
    const [item] = feedbackForIncident({ ...openIncident, openedAt: 100 }, 'expected', 100);
    expect(item!.to).toBe(101);
  });
});
