import { createDataFrame, FieldType } from '@grafana/data';

import { loadFixtureFrames } from '../shared/loadFixtureFrames';
import { readIncidentTimeline } from './readIncidentTimeline';

describe('readIncidentTimeline', () => {
  it('reads the recorded single-edge delay: SEV2 open, the faulted edge over its threshold', () => {
    const timeline = readIncidentTimeline(loadFixtureFrames('delay-one-edge', 'timeline', 'tolerated'))!;
    expect(timeline.current.severity).toBe(1);
    expect(timeline.current.openThreshold).toBe(10);
    expect(timeline.current.closeThreshold).toBe(4);
    expect(timeline.entities[0]).toMatchObject({ entity: 'frontend->shippingservice', scope: 'edge', threshold: 6 });
    expect(timeline.entities[0]!.latest!).toBeGreaterThanOrEqual(6);
    expect(timeline.bands).toHaveLength(1);
    expect(timeline.bands[0]!.severity).toBe(1);
    expect(timeline.tolerated.some((spike) => spike.entity === 'cartservice' && /no incident/.test(spike.reason))).toBe(
      true
    );
    // newest first
    const times = timeline.tolerated.map((spike) => spike.time!);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('takes the severity run start as "since" and leaves unknowns null', () => {
    const frame = createDataFrame({
      name: 'temperature',
      fields: [
        { name: 'Time', type: FieldType.time, values: [1000, 2000, 3000, 4000] },
        { name: 'temperature', type: FieldType.number, values: [1, 12, 14, null] },
        { name: 'open_threshold', type: FieldType.number, values: [10, 10, 10, 10] },
        { name: 'close_threshold', type: FieldType.number, values: [4, 4, 4, 4] },
        { name: 'severity', type: FieldType.number, values: [0, 2, 2, null] },
      ],
    });
    const timeline = readIncidentTimeline([frame])!;
    expect(timeline.current).toMatchObject({ severity: 2, since: 2000, temperature: 14, at: 3000 });
    expect(timeline.entities).toEqual([]);
  });

  it('reads an entity frame named by its labels and its constant threshold', () => {
    const frame = createDataFrame({
      name: 'whatever',
      fields: [
        { name: 'Time', type: FieldType.time, values: [1, 2, 3] },
        {
          name: 'accumulator',
          type: FieldType.number,
          values: [0, 3, 2],
          labels: { scope: 'service', entity: 'cart' },
        },
        { name: 'threshold', type: FieldType.number, values: [6, 6, 6] },
      ],
    });
    expect(readIncidentTimeline([frame])!.entities[0]).toMatchObject({
      entity: 'cart',
      scope: 'service',
      threshold: 6,
      latest: 2,
      peak: 3,
    });
  });

  it('returns null for unrelated frames', () => {
    const frame = createDataFrame({ fields: [{ name: 'value', type: FieldType.number, values: [1] }] });
    expect(readIncidentTimeline([frame])).toBeNull();
  });
});
