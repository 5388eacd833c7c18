import {
  forceCollide,
  forceLink,
  forceManyBody,
  forceSimulation,
  forceX,
  forceY,
  type SimulationNodeDatum,
} from 'd3-force';

import { gridRepulsion } from './gridRepulsion';
import type { LayoutRequest } from './types';

interface Settings {
  ticks: number;
  linkDistance: number;
  linkStrength: number;
  /** Repulsion strength (negative pushes apart). */
  charge: number;
  /** Barnes–Hut accuracy of d3's many-body force; null: the short-range grid repulsion. */
  theta: number | null;
  centring: number;
  collide: number | null;
}

/**
 * Settings by graph size. Small graphs get room for their labels and many steps; large ones
 * fewer, cheaper steps: a looser Barnes–Hut approximation, and above 1,000 services a
 * short-range grid repulsion instead of Barnes–Hut, so that 2,000 services settle in a few
 * hundred milliseconds. Values were chosen on a 2,000-service mesh with 4 calls per service
 * (scripts/bench-topology.mjs): few overlapping services, no collapse to the centre.
 */
function settings(count: number): Settings {
  if (count > 1000) {
    return {
      ticks: 70,
      linkDistance: 60,
      linkStrength: 0.1,
      charge: -8000,
      theta: null,
      centring: 0.005,
      collide: null,
    };
  }
  if (count > 300) {
    return { ticks: 150, linkDistance: 60, linkStrength: 0.4, charge: -220, theta: 1, centring: 0.04, collide: null };
  }
  return { ticks: 300, linkDistance: 120, linkStrength: 0.4, charge: -700, theta: 0.9, centring: 0.04, collide: 60 };
}

/**
 * Force-directed positions (d3-force: links pull callers and callees together, services repel
 * each other). Deterministic: d3-force starts from a phyllotaxis arrangement and seeds its own
 * random source, and previous positions are reused when given.
 */
export function forceLayout(request: LayoutRequest): { x: Float64Array; y: Float64Array; ticks: number } {
  const { count, links } = request;
  const nodes: SimulationNodeDatum[] = Array.from({ length: count }, (_, i) => {
    const x = request.seedX?.[i];
    const y = request.seedY?.[i];
    return x !== undefined && y !== undefined && Number.isFinite(x) && Number.isFinite(y) ? { x, y } : {};
  });
  const edges: Array<{ source: number; target: number }> = [];
  for (let i = 0; i + 1 < links.length; i += 2) {
    if (links[i] !== links[i + 1]) {
      edges.push({ source: links[i] as number, target: links[i + 1] as number });
    }
  }
  const s = settings(count);
  const simulation = forceSimulation(nodes)
    .stop()
    .alphaDecay(1 - Math.pow(0.001, 1 / s.ticks))
    .force('link', forceLink(edges).distance(s.linkDistance).strength(s.linkStrength))
    .force(
      'charge',
      s.theta === null
        ? gridRepulsion(s.charge, 120)
        : forceManyBody().strength(s.charge).theta(s.theta).distanceMax(1500)
    )
    .force('x', forceX(0).strength(s.centring))
    .force('y', forceY(0).strength(s.centring));
  if (s.collide !== null) {
    simulation.force('collide', forceCollide(s.collide));
  }
  simulation.tick(s.ticks);
  return {
    x: Float64Array.from(nodes, (node) => node.x ?? 0),
    y: Float64Array.from(nodes, (node) => node.y ?? 0),
    ticks: s.ticks,
  };
}
