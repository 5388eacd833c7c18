import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatHealthTable } from '../src/embedded/formatHealthTable.js';
import type { FaultStatus } from '../src/faults/FaultController.js';

const delay: FaultStatus = {
  id: 'delay-frontend-shipping',
  type: 'delay',
  target: { client: 'frontend', server: 'shippingservice' },
  state: 'active',
  start: '2026-01-01T00:02:00.000Z',
  end: '2026-01-01T00:03:30.000Z',
  params: { delayMs: 200, percentage: 100 },
};

test('rows are sorted, numbers formatted, and missing samples shown as "-" rather than 0', () => {
  const lines = formatHealthTable(
    new Date('2026-01-01T00:02:30Z'),
    [
      { service: 'shippingservice', requestsPerSecond: 1.5, errorRatio: 0, p95Ms: 212.34 },
      { service: 'frontend', requestsPerSecond: 12, errorRatio: 0.125, p95Ms: 250 },
      { service: 'paymentservice' },
    ],
    [delay]
  );
  assert.match(lines[0]!, /2026-01-01T00:02:30.000Z {2}1 active fault/);
  const rows = lines.slice(2, 5);
  assert.deepEqual(
    rows.map((row) => row.split(/\s+/)[0]),
    ['frontend', 'paymentservice', 'shippingservice']
  );
  assert.match(rows[0]!, /frontend\s+12\.00\s+12\.5\s+250\.0\s*$/);
  assert.match(rows[1]!, /paymentservice\s+-\s+-\s+-\s*$/);
  assert.match(rows[2]!, /shippingservice\s+1\.50\s+0\.0\s+212\.3\s+delay:delay-frontend-shipping$/);
  assert.match(lines[5]!, /active: delay-frontend-shipping \(delay on frontend->shippingservice\)/);
});

test('scheduled and ended faults are not shown as active', () => {
  const lines = formatHealthTable(
    new Date(0),
    [{ service: 'shippingservice', requestsPerSecond: 1 }],
    [
      { ...delay, state: 'scheduled' },
      { ...delay, id: 'old', state: 'ended' },
    ]
  );
  assert.match(lines[0]!, /no active fault/);
  assert.doesNotMatch(lines.join('\n'), /delay-frontend-shipping|active:/);
});
