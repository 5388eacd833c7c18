import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';

/** A small Online Boutique graph during a delay on frontend -> shippingservice, as the sidecar frames it. */
export function boutiqueFrames(): DataFrame[] {
  const onset = 1_700_000_060_000;
  const nodes = createDataFrame({
    name: 'nodes',
    meta: {
      preferredVisualisationType: 'nodeGraph',
      custom: { at: onset + 240_000, incidentId: 'inc-1700000210', rootCause: ['shippingservice', 'frontend'] },
    },
    fields: [
      {
        name: 'id',
        type: FieldType.string,
        values: ['frontend', 'checkoutservice', 'shippingservice', 'cartservice', 'redis-cart', 'adservice'],
      },
      {
        name: 'title',
        type: FieldType.string,
        values: ['frontend', 'checkoutservice', 'shippingservice', 'cartservice', 'redis-cart', 'adservice'],
      },
      {
        name: 'mainstat',
        type: FieldType.number,
        values: [0.995, 0.4, 0.999, 0.3, null, null],
        config: { displayName: 'score', unit: 'percentunit' },
      },
      { name: 'state', type: FieldType.string, values: ['ok', 'ok', 'ok', 'ok', 'unknown', 'warmup'] },
      { name: 'score', type: FieldType.number, values: [0.995, 0.4, 0.999, 0.3, null, null] },
      { name: 'threshold', type: FieldType.number, values: [0.99, 0.99, 0.99, 0.99, 0.99, 0.99] },
      { name: 'anomalous', type: FieldType.boolean, values: [true, false, true, false, null, null] },
      { name: 'onset', type: FieldType.time, values: [onset + 30_000, null, onset, null, null, null] },
      { name: 'rank', type: FieldType.number, values: [2, null, 1, null, null, null] },
      { name: 'rootcause_score', type: FieldType.number, values: [3.1, null, 8.4, null, null, null] },
      {
        name: 'contributions',
        type: FieldType.other,
        values: [{ latency_p95: 0.7, error_ratio: 0.3 }, null, { latency_p95: 0.9, cpu_usage: 0.1 }, null, null, null],
      },
      {
        name: 'namespace',
        type: FieldType.string,
        values: ['boutique', 'boutique', 'shipping', 'boutique', 'data', 'boutique'],
      },
      { name: 'team', type: FieldType.string, values: ['web', 'orders', 'shipping', 'cart', 'cart', 'ads'] },
    ],
  });
  const edges = createDataFrame({
    name: 'edges',
    fields: [
      {
        name: 'id',
        type: FieldType.string,
        values: [
          'frontend->shippingservice',
          'frontend->checkoutservice',
          'checkoutservice->shippingservice',
          'frontend->cartservice',
          'cartservice->redis-cart',
          'frontend->adservice',
        ],
      },
      {
        name: 'source',
        type: FieldType.string,
        values: ['frontend', 'frontend', 'checkoutservice', 'frontend', 'cartservice', 'frontend'],
      },
      {
        name: 'target',
        type: FieldType.string,
        values: ['shippingservice', 'checkoutservice', 'shippingservice', 'cartservice', 'redis-cart', 'adservice'],
      },
      { name: 'state', type: FieldType.string, values: ['ok', 'ok', 'ok', 'ok', 'unknown', 'ok'] },
      { name: 'score', type: FieldType.number, values: [0.999, 0.2, 0.5, 0.1, null, 0.3] },
      { name: 'anomalous', type: FieldType.boolean, values: [true, false, false, false, null, false] },
      { name: 'onset', type: FieldType.time, values: [onset, null, null, null, null, null] },
      { name: 'thickness', type: FieldType.number, values: [3, 2, 2, 4, 4, 3] },
      { name: 'request_rate', type: FieldType.number, values: [4, 1, 1, 20, 25, 9] },
      { name: 'latency_p95', type: FieldType.number, values: [0.21, 0.02, 0.01, 0.005, null, 0.004] },
    ],
  });
  return [nodes, edges];
}
