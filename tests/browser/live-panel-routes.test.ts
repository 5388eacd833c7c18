import assert from 'node:assert/strict';
import { test } from 'node:test';

import { livePanelRoutes } from '../../preview/src/livePanelRoutes.js';

const RANGE = { from: 1_700_000_000_250, to: 1_700_003_600_750 };

test('the live topology is the latest graph and ranking unless the page fixes a time or an incident', () => {
  assert.deepEqual(livePanelRoutes('seismo-topology-panel', { range: RANGE, fixedEnd: false }), [
    'topology',
    'rootcause?format=frames',
  ]);
});

test('a fixed range end asks for the graph evaluated then (Unix seconds), a chosen incident for its ranking', () => {
  assert.deepEqual(
    livePanelRoutes('seismo-topology-panel', { range: RANGE, fixedEnd: true, incidentId: 'inc-1700003000' }),
    ['topology?at=1700003600', 'rootcause?format=frames&incidentId=inc-1700003000']
  );
});

test('the tolerated spikes are those within the range, whole seconds covering it, as the datasource asks', () => {
  assert.deepEqual(livePanelRoutes('seismo-temperature-panel', { range: RANGE, fixedEnd: false }), [
    'evaluations?kind=tolerated&format=frames&from=1700000000&to=1700003601',
  ]);
});

test('the forecast route depends on the target list and is not fixed here', () => {
  assert.deepEqual(livePanelRoutes('seismo-forecast-panel', { range: RANGE, fixedEnd: true }), []);
});
