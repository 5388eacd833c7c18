/** The service call graph, rebuilt every cycle from the telemetry adapters' edge signals. */
export { buildCallGraph } from './buildCallGraph.js';
export type { BuildCallGraphOptions } from './buildCallGraph.js';
export type { CallGraph, CallGraphEdge, CallGraphNode, NodeKind } from './types.js';
