import { FieldType } from '@grafana/data';

import { incidentDetail } from '../testing/fixtures';
import { entityScope, incidentTimelineFrames } from './incidentTimelineFrames';

describe('incidentTimelineFrames', () => {
  it('returns the temperature frame and one accumulator frame per entity, as the timeline query does', () => {
    const [temperature, ...entities] = incidentTimelineFrames(incidentDetail);
    expect(temperature!.name).toBe('temperature');
    expect(temperature!.fields.map((f) => [f.name, f.type, f.values])).toEqual([
      ['Time', FieldType.time, [1_700_000_450_000, 1_700_000_465_000]],
      ['temperature', FieldType.number, [10, 12]],
      ['severity', FieldType.number, [1, 2]],
    ]);
    expect(entities.map((frame) => [frame.name, frame.fields[1]!.labels, frame.fields[1]!.values])).toEqual([
      ['checkoutservice->paymentservice', { scope: 'edge', entity: 'checkoutservice->paymentservice' }, [4, 5]],
      ['paymentservice', { scope: 'service', entity: 'paymentservice' }, [6, 7]],
    ]);
  });

  it('sorts evaluations by time and leaves entities missing from one as null, not 0', () => {
    const frames = incidentTimelineFrames({
      ...incidentDetail,
      timeline: [
        { at: 20, temperature: 3, severity: null, accumulators: { a: 1 } },
        { at: 10, temperature: 2, severity: null, accumulators: { a: 2, b: 1 } },
      ],
    });
    expect(frames[0]!.fields[0]!.values).toEqual([10_000, 20_000]);
    expect(frames[0]!.fields[2]!.values).toEqual([0, 0]);
    expect(frames.find((f) => f.name === 'b')!.fields[1]!.values).toEqual([1, null]);
  });

  it('carries the thresholds of the evaluation that opened the incident, as the timeline query does', () => {
    const frames = incidentTimelineFrames({
      ...incidentDetail,
      explanation: {
        openThreshold: 10,
        closeThreshold: 4,
        entities: [
          { entity: 'paymentservice', threshold: 6 },
          { entity: 'checkoutservice->paymentservice', threshold: 8 },
        ],
      },
    });
    const temperature = frames[0]!;
    expect(temperature.fields.find((f) => f.name === 'open_threshold')?.values).toEqual([10, 10]);
    expect(temperature.fields.find((f) => f.name === 'close_threshold')?.values).toEqual([4, 4]);
    const threshold = (entity: string) =>
      frames.find((f) => f.name === entity)!.fields.find((f) => f.name === 'threshold')?.values;
    expect(threshold('paymentservice')).toEqual([6, 6]);
    expect(threshold('checkoutservice->paymentservice')).toEqual([8, 8]);
  });

  it('leaves out thresholds the incident does not state', () => {
    const frames = incidentTimelineFrames({
      ...incidentDetail,
      explanation: { openThreshold: 10, closeThreshold: 4, entities: [{ entity: 'paymentservice', threshold: 6 }] },
    });
    const edge = frames.find((f) => f.name === 'checkoutservice->paymentservice')!;
    expect(edge.fields.map((f) => f.name)).toEqual(['Time', 'accumulator']);
    expect(incidentTimelineFrames(incidentDetail)[0]!.fields.map((f) => f.name)).toEqual([
      'Time',
      'temperature',
      'severity',
    ]);
  });

  it('returns nothing for an incident without a timeline', () => {
    expect(incidentTimelineFrames({ ...incidentDetail, timeline: [] })).toEqual([]);
  });

  it('reads edges from the client->server form', () => {
    expect(entityScope('a->b')).toBe('edge');
    expect(entityScope('a')).toBe('service');
  });
});
