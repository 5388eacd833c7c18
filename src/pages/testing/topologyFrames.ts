import type { WireFrame } from '../api/sidecarTypes';

/** A two-service call graph in the Node Graph frames the sidecar's topology route returns. */
export const topologyFrames: WireFrame[] = [
  {
    schema: {
      name: 'nodes',
      meta: { preferredVisualisationType: 'nodeGraph' },
      fields: [
        { name: 'id', type: 'string' as never },
        { name: 'title', type: 'string' as never },
        { name: 'mainstat', type: 'number' as never },
        { name: 'state', type: 'string' as never },
      ],
    },
    data: {
      values: [
        ['checkoutservice', 'paymentservice'],
        ['checkoutservice', 'paymentservice'],
        [0.97, 0.99],
        ['ok', 'ok'],
      ],
    },
  },
  {
    schema: {
      name: 'edges',
      fields: [
        { name: 'id', type: 'string' as never },
        { name: 'source', type: 'string' as never },
        { name: 'target', type: 'string' as never },
      ],
    },
    data: { values: [['checkoutservice->paymentservice'], ['checkoutservice'], ['paymentservice']] },
  },
];
