import { createDataFrame, FieldType } from '@grafana/data';

import { readTopology } from './readTopology';
import { boutiqueFrames } from './testdata/boutiqueFrames';

describe('readTopology', () => {
  it('reads Seismo node and edge fields', () => {
    const graph = readTopology(boutiqueFrames())!;
    const shipping = graph.nodes.find((n) => n.id === 'shippingservice')!;
    expect(shipping).toMatchObject({
      state: 'ok',
      score: 0.999,
      anomalous: true,
      rank: 1,
      namespace: 'shipping',
      team: 'shipping',
      seismo: true,
      contributions: { latency_p95: 0.9, cpu_usage: 0.1 },
    });
    expect(graph.nodes.find((n) => n.id === 'redis-cart')).toMatchObject({
      state: 'unknown',
      score: null,
      anomalous: null,
    });
    expect(graph.edges.find((e) => e.id === 'frontend->shippingservice')).toMatchObject({
      score: 0.999,
      anomalous: true,
      thickness: 3,
      latencyP95: 0.21,
    });
    expect(graph.incidentId).toBe('inc-1700000210');
  });

  it('ranks root causes by the nodes rank field when no rootcause frame comes along', () => {
    const graph = readTopology(boutiqueFrames())!;
    expect(graph.rootCauses.map((c) => [c.rank, c.service])).toEqual([
      [1, 'shippingservice'],
      [2, 'frontend'],
    ]);
  });

  it('takes evidence from a rootcause table frame', () => {
    const rootcause = createDataFrame({
      name: 'rootcause',
      fields: [
        { name: 'rank', type: FieldType.number, values: [2, 1] },
        { name: 'service', type: FieldType.string, values: ['frontend', 'shippingservice'] },
        { name: 'score', type: FieldType.number, values: [1.2, 8.4] },
        { name: 'channel', type: FieldType.string, values: ['symptom', 'symptom'] },
        { name: 'onset', type: FieldType.time, values: [2000, 1000] },
        { name: 'explained_by', type: FieldType.string, values: ['shippingservice', ''] },
        {
          name: 'evidence',
          type: FieldType.string,
          values: ['slow because shippingservice is', 'latency 8.4x the edge of normal'],
        },
        { name: 'signals', type: FieldType.string, values: ['latency_p95 3.1@2000', 'latency_p95 8.4@1000'] },
      ],
    });
    const graph = readTopology([rootcause, ...boutiqueFrames()])!;
    expect(graph.rootCauses[0]).toMatchObject({
      rank: 1,
      service: 'shippingservice',
      evidence: 'latency 8.4x the edge of normal',
    });
    expect(graph.rootCauses[1]).toMatchObject({ explainedBy: 'shippingservice' });
  });

  it('reads plain Node Graph frames from other datasources as unknown health, keeping their stats', () => {
    const nodes = createDataFrame({
      name: 'nodes',
      fields: [
        { name: 'id', type: FieldType.string, values: ['a', 'b'] },
        {
          name: 'mainstat',
          type: FieldType.number,
          values: [120, 30],
          config: { displayName: 'avg latency', unit: 'ms' },
        },
      ],
    });
    const edges = createDataFrame({
      name: 'edges',
      fields: [
        { name: 'id', type: FieldType.string, values: ['a-b'] },
        { name: 'source', type: FieldType.string, values: ['a'] },
        { name: 'target', type: FieldType.string, values: ['c'] },
        { name: 'secondarystat', type: FieldType.number, values: [99] },
      ],
    });
    const graph = readTopology([nodes, edges])!;
    const a = graph.nodes.find((n) => n.id === 'a')!;
    expect(a).toMatchObject({ state: 'unknown', score: null, seismo: false });
    expect(a.stats).toEqual([{ label: 'avg latency', value: '120 ms' }]);
    expect(graph.nodes.find((n) => n.id === 'c')).toMatchObject({ kind: 'unknown', state: 'unknown' });
    expect(graph.notes).toContain('"c" appears only in edges; drawn as an unknown node');
    expect(graph.edges[0]!.thickness).toBeCloseTo(1 + Math.log10(100) * 2);
  });

  it('parses contributions sent as JSON text and skips rows without an id', () => {
    const nodes = createDataFrame({
      name: 'nodes',
      fields: [
        { name: 'id', type: FieldType.string, values: ['a', ''] },
        { name: 'state', type: FieldType.string, values: ['ok', 'ok'] },
        { name: 'contributions', type: FieldType.other, values: ['{"latency_p95":0.5,"bad":"x"}', null] },
      ],
    });
    const graph = readTopology([nodes])!;
    expect(graph.nodes).toHaveLength(1);
    expect(graph.nodes[0]!.contributions).toEqual({ latency_p95: 0.5 });
    expect(graph.notes[0]).toMatch(/row 1 has no id/);
  });

  it('returns undefined without a nodes frame', () => {
    const series = createDataFrame({ fields: [{ name: 'time', type: FieldType.time, values: [1] }] });
    expect(readTopology([series])).toBeUndefined();
  });
});
