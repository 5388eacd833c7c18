import { layeredLayout } from './layeredLayout';

const links = (pairs: Array<[number, number]>) => Int32Array.from(pairs.flat());

describe('layeredLayout', () => {
  it('puts callers above their callees', () => {
    // 0 calls 1 and 2, 1 calls 2, 2 calls 3
    const { y } = layeredLayout({
      mode: 'layered',
      count: 4,
      links: links([
        [0, 1],
        [0, 2],
        [1, 2],
        [2, 3],
      ]),
    });
    expect(y[0]!).toBeLessThan(y[1]!);
    expect(y[1]!).toBeLessThan(y[2]!);
    expect(y[2]!).toBeLessThan(y[3]!);
  });

  it('lays out cycles without looping', () => {
    const { x, y } = layeredLayout({
      mode: 'layered',
      count: 3,
      links: links([
        [0, 1],
        [1, 2],
        [2, 0],
      ]),
    });
    expect([...x, ...y].every(Number.isFinite)).toBe(true);
    expect(new Set(y).size).toBe(3);
  });

  it('gives every node of a layer its own place', () => {
    const count = 30;
    const pairs: Array<[number, number]> = Array.from({ length: count - 1 }, (_, i) => [0, i + 1]);
    const { x, y } = layeredLayout({ mode: 'layered', count, links: links(pairs) });
    const places = new Set(Array.from(x, (xi, i) => `${xi},${y[i]}`));
    expect(places.size).toBe(count);
  });
});
