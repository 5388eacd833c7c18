import { blastRadius } from './blastRadius';

const edges = [
  { id: 'frontend->checkout', source: 'frontend', target: 'checkout' },
  { id: 'checkout->shipping', source: 'checkout', target: 'shipping' },
  { id: 'frontend->shipping', source: 'frontend', target: 'shipping' },
  { id: 'checkout->payment', source: 'checkout', target: 'payment' },
  { id: 'shipping->checkout', source: 'shipping', target: 'checkout' },
];

describe('blastRadius', () => {
  it('walks from a callee to every caller that waits on it, through cycles once', () => {
    const radius = blastRadius(edges, 'payment', 'callers');
    expect([...radius.nodes]).toEqual([
      ['payment', 0],
      ['checkout', 1],
      ['frontend', 2],
      ['shipping', 2],
    ]);
    expect(radius.edges).toEqual(
      new Set([
        'checkout->payment',
        'frontend->checkout',
        'shipping->checkout',
        'frontend->shipping',
        'checkout->shipping',
      ])
    );
  });

  it('follows calls downstream for callees', () => {
    const radius = blastRadius(edges, 'shipping', 'callees');
    expect([...radius.nodes.keys()]).toEqual(['shipping', 'checkout', 'payment']);
  });

  it('contains only the start for an entry point with callers direction', () => {
    expect([...blastRadius(edges, 'frontend', 'callers').nodes.keys()]).toEqual(['frontend']);
  });
});
