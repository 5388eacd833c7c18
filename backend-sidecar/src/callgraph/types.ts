/** The service call graph built each cycle from edge signals. */

/**
 * service: a workload of the mesh; external: a caller named in `externalClients` (a load
 * generator, an ingress outside the mesh); unknown: a side the telemetry could not name
 * (Istio's "unknown", Tempo's virtual "user", an empty label).
 */
export type NodeKind = 'service' | 'external' | 'unknown';

export interface CallGraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** Appears as a caller / callee of at least one edge with traffic. */
  readonly isClient: boolean;
  readonly isServer: boolean;
  /** Has service-scope signals in some source (a service can be idle and still be known). */
  readonly hasServiceSignals: boolean;
  readonly inDegree: number;
  readonly outDegree: number;
}

export interface CallGraphEdge {
  /** "client->server", the incident engine's edge entity id. */
  readonly id: string;
  readonly client: string;
  readonly server: string;
  /** The client is not a mesh service (external or unknown caller). */
  readonly fromOutside: boolean;
  /** Source whose series represent the edge (see the cross-check), and why. */
  readonly source: string;
  readonly sourceReason: string;
  /** Every source that reported the edge. */
  readonly sources: readonly string[];
  /** Agreement between sources on this edge's rate. */
  readonly agreement: string;
  /** Latest observed value in the range (requests/second), from the chosen source. */
  readonly rate: number | null;
  readonly meanRate: number;
  /** Latest observed error ratio in [0, 1]; null when unknown. */
  readonly errorRatio: number | null;
  readonly meanErrorRatio: number | null;
  /** Latest observed p95 latency in seconds; null when unknown. */
  readonly latencyP95: number | null;
}

export interface CallGraph {
  /** Unix seconds of the last grid point the graph describes. */
  readonly at: number;
  readonly nodes: readonly CallGraphNode[];
  /** Edges that carried traffic in the range (mean rate above the threshold), sorted by id. */
  readonly edges: readonly CallGraphEdge[];
  /** Edges with series but no traffic above the threshold in the range: known, but idle. */
  readonly idleEdges: readonly string[];
}
