import { forceLayout } from './forceLayout';

describe('forceLayout', () => {
  it('returns finite, distinct positions and is deterministic', () => {
    const links = Int32Array.from([0, 1, 1, 2, 2, 3, 3, 0, 0, 2]);
    const first = forceLayout({ mode: 'force', count: 5, links });
    const second = forceLayout({ mode: 'force', count: 5, links });
    expect([...first.x, ...first.y].every(Number.isFinite)).toBe(true);
    expect(first.x).toEqual(second.x);
    expect(new Set(Array.from(first.x, (x, i) => `${x.toFixed(1)},${first.y[i]!.toFixed(1)}`)).size).toBe(5);
  });

  it('keeps linked services closer than unlinked ones', () => {
    // two clusters of three services, one link between them
    const links = Int32Array.from([0, 1, 1, 2, 0, 2, 3, 4, 4, 5, 3, 5, 2, 3]);
    const { x, y } = forceLayout({ mode: 'force', count: 6, links });
    const d = (a: number, b: number) => Math.hypot(x[a]! - x[b]!, y[a]! - y[b]!);
    expect(d(0, 1)).toBeLessThan(d(0, 5));
  });

  it('starts from the given positions, so a refreshed graph keeps its orientation', () => {
    const run = (a: number, b: number) =>
      forceLayout({
        mode: 'force',
        count: 2,
        links: Int32Array.from([0, 1]),
        seedX: Float64Array.from([a, b]),
        seedY: Float64Array.from([0, 0]),
      });
    const leftFirst = run(-300, 300);
    const rightFirst = run(300, -300);
    expect(leftFirst.x[0]!).toBeLessThan(leftFirst.x[1]!);
    expect(rightFirst.x[0]!).toBeGreaterThan(rightFirst.x[1]!);
  });
});
