import { closedIncident, openIncident } from '../testing/fixtures';
import { orderIncidents } from './orderIncidents';

describe('orderIncidents', () => {
  it('puts open SEV1, then open SEV2, then closed incidents, newest first within each', () => {
    const sev2 = { ...openIncident, id: 'sev2', severity: 'SEV2' as const, openedAt: openIncident.openedAt + 100 };
    const newerClosed = { ...closedIncident, id: 'newer', openedAt: closedIncident.openedAt + 100 };
    expect(orderIncidents([closedIncident, sev2, newerClosed, openIncident]).map((i) => i.id)).toEqual([
      openIncident.id,
      'sev2',
      'newer',
      closedIncident.id,
    ]);
  });
});
