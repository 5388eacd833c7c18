import { createDataFrame, FieldType } from '@grafana/data';

import { findGraphFrames } from './findGraphFrames';

const nodes = createDataFrame({
  name: 'nodes',
  fields: [
    { name: 'id', type: FieldType.string, values: ['frontend', 'cartservice'] },
    { name: 'mainstat', type: FieldType.number, values: [0.1, 0.9] },
  ],
});
const edges = createDataFrame({
  name: 'edges',
  fields: [
    { name: 'id', type: FieldType.string, values: ['frontend->cartservice'] },
    { name: 'source', type: FieldType.string, values: ['frontend'] },
    { name: 'target', type: FieldType.string, values: ['cartservice'] },
  ],
});

describe('findGraphFrames', () => {
  it('finds frames by name whatever their order', () => {
    expect(findGraphFrames([edges, nodes])).toEqual({ nodes, edges });
  });

  it('recognises unnamed frames by their fields', () => {
    const unnamedNodes = { ...nodes, name: undefined };
    const unnamedEdges = { ...edges, name: undefined };
    const found = findGraphFrames([unnamedEdges, unnamedNodes]);
    expect(found.nodes).toBe(unnamedNodes);
    expect(found.edges).toBe(unnamedEdges);
  });

  it('reports nothing for a plain time series', () => {
    const series = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1, 2] },
        { name: 'value', type: FieldType.number, values: [3, 4] },
      ],
    });
    expect(findGraphFrames([series])).toEqual({ nodes: undefined, edges: undefined });
  });
});
