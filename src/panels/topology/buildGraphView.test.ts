import { buildGraphView, type GraphViewRequest } from './buildGraphView';
import { readTopology } from './readTopology';
import { boutiqueFrames } from './testdata/boutiqueFrames';

const request: GraphViewRequest = {
  thresholds: { thresholdSource: 'data', anomalyThreshold: 0.99, warningThreshold: 0.95 },
  replayAt: null,
  anomalousOnly: false,
  focusService: null,
  hops: 1,
  groupByNamespace: false,
  expanded: new Set(),
};
const graph = readTopology(boutiqueFrames())!;
const healthById = (view: ReturnType<typeof buildGraphView>) =>
  Object.fromEntries(view.nodes.map((n) => [n.id, n.health]));

describe('buildGraphView', () => {
  it('classifies every node and edge', () => {
    const view = buildGraphView(graph, request);
    expect(healthById(view)).toEqual({
      frontend: 'anomalous',
      checkoutservice: 'healthy',
      shippingservice: 'anomalous',
      cartservice: 'healthy',
      'redis-cart': 'unknown',
      adservice: 'warmup',
    });
    expect(view.edges.find((e) => e.id === 'frontend->shippingservice')!.health).toBe('anomalous');
  });

  it('hides what is further than k hops from the anomalous services', () => {
    const zero = buildGraphView(graph, { ...request, anomalousOnly: true, hops: 0 });
    expect(zero.nodes.map((n) => n.id).sort()).toEqual(['frontend', 'shippingservice']);
    expect(zero.hidden).toBe(4);
    const one = buildGraphView(graph, { ...request, anomalousOnly: true, hops: 1 });
    expect(one.nodes.map((n) => n.id).sort()).toEqual([
      'adservice',
      'cartservice',
      'checkoutservice',
      'frontend',
      'shippingservice',
    ]);
    expect(
      one.edges.every((e) => one.nodes.some((n) => n.id === e.source) && one.nodes.some((n) => n.id === e.target))
    ).toBe(true);
  });

  it('explains an empty focus view', () => {
    const calm = { ...graph, nodes: graph.nodes.map((n) => ({ ...n, anomalous: false, score: 0.1 })) };
    const view = buildGraphView(calm, { ...request, anomalousOnly: true });
    expect(view.nodes).toEqual([]);
    expect(view.emptyReason).toMatch(/No anomalous services/);
  });

  it('collapses namespaces into groups with the worst class and merged edges', () => {
    const view = buildGraphView(graph, { ...request, groupByNamespace: true });
    const boutique = view.nodes.find((n) => n.id === 'namespace:boutique')!;
    expect(boutique.members.sort()).toEqual(['adservice', 'cartservice', 'checkoutservice', 'frontend']);
    expect(boutique.health).toBe('anomalous');
    expect(boutique.score).toBe(0.995);
    expect(boutique.label).toBe('boutique (4)');
    const merged = view.edges.find((e) => e.id === 'namespace:boutique->namespace:shipping')!;
    expect(merged.merged).toBe(2);
    expect(merged.health).toBe('anomalous');
    expect(view.edges.some((e) => e.source === e.target)).toBe(false);
  });

  it('rolls missing verdicts up above healthy', () => {
    const view = buildGraphView(graph, { ...request, groupByNamespace: true });
    expect(view.nodes.find((n) => n.id === 'namespace:data')!.health).toBe('unknown');
  });

  it('expands a namespace on request', () => {
    const view = buildGraphView(graph, { ...request, groupByNamespace: true, expanded: new Set(['boutique']) });
    expect(view.nodes.map((n) => n.id)).toContain('frontend');
    expect(view.edges.map((e) => e.id)).toContain('frontend->namespace:shipping');
  });

  it('replays the spread by onset time', () => {
    const onset = graph.nodes.find((n) => n.id === 'shippingservice')!.onset!;
    const before = healthById(buildGraphView(graph, { ...request, replayAt: onset - 1 }));
    expect(before).toMatchObject({ shippingservice: 'healthy', frontend: 'healthy', 'redis-cart': 'unknown' });
    const between = healthById(buildGraphView(graph, { ...request, replayAt: onset + 1 }));
    expect(between).toMatchObject({ shippingservice: 'anomalous', frontend: 'healthy' });
  });
});
