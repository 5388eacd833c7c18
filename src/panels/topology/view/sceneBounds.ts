import type { Scene } from './buildScene';

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** The box around every node of a scene, with room for a label below and a rank badge above. */
export function sceneBounds(scene: Scene, labelSize: number): Bounds | null {
  if (scene.nodes.length === 0) {
    return null;
  }
  const bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const n of scene.nodes) {
    bounds.minX = Math.min(bounds.minX, n.x - n.r - 12);
    bounds.minY = Math.min(bounds.minY, n.y - n.r - 12);
    bounds.maxX = Math.max(bounds.maxX, n.x + n.r + 12);
    bounds.maxY = Math.max(bounds.maxY, n.y + n.r + labelSize + 8);
  }
  // Labels are centred under their node and may be wider than it.
  bounds.minX -= 80;
  bounds.maxX += 80;
  return bounds;
}
