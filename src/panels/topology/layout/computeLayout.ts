import { forceLayout } from './forceLayout';
import { layeredLayout } from './layeredLayout';
import type { LayoutRequest, LayoutResult } from './types';

/** Runs the requested layout and times it; the same code runs in the layout worker and inline. */
export function computeLayout(request: LayoutRequest): LayoutResult {
  const started = performance.now();
  if (request.mode === 'layered') {
    const { x, y } = layeredLayout(request);
    return { x, y, ticks: 0, ms: performance.now() - started };
  }
  const { x, y, ticks } = forceLayout(request);
  return { x, y, ticks, ms: performance.now() - started };
}
