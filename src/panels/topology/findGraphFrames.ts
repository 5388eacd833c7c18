import { type DataFrame } from '@grafana/data';

/** The frames of a Node Graph shaped result, as Grafana's Node Graph panel reads them. */
export interface GraphFrames {
  nodes?: DataFrame;
  edges?: DataFrame;
}

/**
 * Finds the nodes and edges frames: by `meta.preferredVisualisationType` and frame name as the
 * Node Graph contract describes, falling back to the fields each must have (nodes: id; edges:
 * id, source, target), so frames from other datasources work too.
 */
export function findGraphFrames(series: DataFrame[]): GraphFrames {
  const hasFields = (frame: DataFrame, names: string[]) =>
    names.every((name) => frame.fields.some((field) => field.name === name));

  const edges = series.find(
    (frame) => frame.name === 'edges' || (hasFields(frame, ['id', 'source', 'target']) && frame.name !== 'nodes')
  );
  const nodes = series.find(
    (frame) =>
      frame !== edges && (frame.name === 'nodes' || (hasFields(frame, ['id']) && !hasFields(frame, ['source'])))
  );
  return { nodes, edges };
}
