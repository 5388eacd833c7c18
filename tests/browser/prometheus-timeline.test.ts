import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { prometheusTimeline, type RangeQuery } from '../../preview/src/prometheusTimeline.js';

const START = 1_700_000_000;

/** Answers the timeline queries as Prometheus would for a SEV2 on one edge, with a missing scrape. */
const query: RangeQuery = async (expr, start, end, step) => {
  const times: number[] = [];
  for (let t = start; t <= end; t += step) {
    times.push(t);
  }
  const series = (value: (i: number) => number | null, metric: Record<string, string> = {}) => ({
    metric,
    values: times.flatMap((t, i) => (value(i) === null ? [] : [[t, String(value(i))] as [number, string]])),
  });
  switch (expr) {
    case 'sum(seismo_incident_temperature)':
      return [series((i) => (i === 5 ? null : i))];
    case 'max(seismo_incident_open_threshold)':
      return [series(() => 10)];
    case 'max(seismo_incident_close_threshold)':
      return [series(() => 4)];
    case 'max(seismo_incident_severity)':
      return [series((i) => (i >= 10 ? 1 : 0))];
    case 'seismo_incident_accumulator':
      return [series((i) => Math.min(i, 20), { scope: 'edge', entity: 'frontend->shippingservice' })];
    case 'seismo_incident_entity_threshold':
      return [series(() => 6, { scope: 'edge', entity: 'frontend->shippingservice' })];
    default:
      throw new Error(`unexpected query ${expr}`);
  }
};

const shape = (frame: { schema?: { name?: string; fields: Array<{ name: string; type?: string }> } }) =>
  frame.schema!.fields.map((field) => `${field.name}:${field.type}`);

test('the live preview builds the timeline frames in the recorded (datasource) shape from Prometheus', async () => {
  const frames = await prometheusTimeline(query, { from: START * 1000, to: (START + 15 * 20) * 1000 });
  const recorded = JSON.parse(readFileSync(new URL('fixtures/delay-one-edge/timeline.json', import.meta.url), 'utf8'));
  assert.deepEqual(shape(frames[0]!), shape(recorded.frames[0]));
  assert.deepEqual(shape(frames[1]!), shape(recorded.frames[1]));
  const [time, temperature, open, , severity] = frames[0]!.data!.values as Array<Array<number | null>>;
  assert.equal(time![0], START * 1000);
  assert.equal(temperature![5], null, 'a missing scrape stays missing');
  assert.equal(temperature![6], 6);
  assert.equal(open![0], 10);
  assert.equal(severity!.at(-1), 1);
  assert.deepEqual(frames[1]!.schema!.fields[1]!.labels, { scope: 'edge', entity: 'frontend->shippingservice' });
  assert.equal((frames[1]!.data!.values[2] as number[])[0], 6);
});
