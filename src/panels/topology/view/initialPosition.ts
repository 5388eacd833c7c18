import type { Point } from './buildScene';

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

/**
 * Where the i-th service without a position is first drawn: a sunflower spiral (as d3-force
 * starts), so that a large graph is visible at once while its layout is still computed.
 */
export function initialPosition(i: number): Point {
  const radius = 24 * Math.sqrt(0.5 + i);
  const angle = i * GOLDEN_ANGLE;
  return { x: radius * Math.cos(angle), y: radius * Math.sin(angle) };
}
