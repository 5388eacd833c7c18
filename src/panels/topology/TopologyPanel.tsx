import React from 'react';
import { type PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';

import { findGraphFrames } from './findGraphFrames';

export type TopologyOptions = Record<string, never>;

export function TopologyPanel({ data, width, height, id, fieldConfig }: PanelProps<TopologyOptions>) {
  const { nodes, edges } = findGraphFrames(data.series);
  if (!nodes) {
    return (
      <PanelDataErrorView
        panelId={id}
        fieldConfig={fieldConfig}
        data={data}
        message="No nodes frame in the query result. Use the Seismo datasource's topology query, or any query that returns Node Graph frames (nodes with an id field, edges with id, source and target)"
      />
    );
  }
  return (
    <div data-testid="seismo-topology-panel" style={{ width, height, overflow: 'auto' }}>
      {nodes.length} services, {edges?.length ?? 0} call edges
    </div>
  );
}
