import { forceSimulation, type SimulationNodeDatum } from 'd3-force';

import { gridRepulsion } from './gridRepulsion';

describe('gridRepulsion', () => {
  it('pushes close services apart and leaves distant ones alone', () => {
    const nodes: SimulationNodeDatum[] = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 1000, y: 0 },
    ];
    forceSimulation(nodes).stop().force('charge', gridRepulsion(-100, 50)).tick(1);
    expect(nodes[0]!.x!).toBeLessThan(0);
    expect(nodes[1]!.x!).toBeGreaterThan(10);
    expect(nodes[2]!.x!).toBe(1000);
  });

  it('matches the brute-force sum of pairwise pushes within the cutoff', () => {
    const points = Array.from({ length: 60 }, (_, i) => ({ x: (i * 37) % 300, y: (i * 53) % 200 }));
    const nodes: SimulationNodeDatum[] = points.map((p) => ({ ...p, vx: 0, vy: 0 }));
    const force = gridRepulsion(-50, 80);
    force.initialize!(nodes, () => 0);
    force(1);
    points.forEach((a, i) => {
      let vx = 0;
      points.forEach((b, j) => {
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const d2 = dx * dx + dy * dy;
        if (i !== j && d2 < 80 * 80) {
          vx += (dx * -50) / d2;
        }
      });
      expect(nodes[i]!.vx!).toBeCloseTo(vx, 9);
    });
  });

  it('separates services at the same spot', () => {
    const nodes: SimulationNodeDatum[] = [
      { x: 5, y: 5 },
      { x: 5, y: 5 },
    ];
    forceSimulation(nodes).stop().force('charge', gridRepulsion(-100, 50)).tick(3);
    expect(Math.hypot(nodes[0]!.x! - nodes[1]!.x!, nodes[0]!.y! - nodes[1]!.y!)).toBeGreaterThan(1);
  });
});
