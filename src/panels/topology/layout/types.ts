import type { LayoutMode } from '../types';

/** What a layout needs: node count, calls as index pairs, and positions to start from. */
export interface LayoutRequest {
  mode: LayoutMode;
  count: number;
  /** Flat `[source0, target0, source1, target1, ...]` node indices; source calls target. */
  links: Int32Array;
  /** Previous positions (NaN where unknown), so an updated graph keeps its shape. */
  seedX?: Float64Array;
  seedY?: Float64Array;
}

export interface LayoutResult {
  x: Float64Array;
  y: Float64Array;
  /** Wall time of the computation. */
  ms: number;
  /** Simulation steps taken (0 for the layered layout). */
  ticks: number;
}
