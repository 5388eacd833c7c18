import { onsetOrder } from './onsetOrder';

describe('onsetOrder', () => {
  it('lists services with an onset, earliest first, ties by name', () => {
    expect(
      onsetOrder([
        { id: 'frontend', onset: 2000 },
        { id: 'redis', onset: null },
        { id: 'shipping', onset: 1000 },
        { id: 'checkout', onset: 2000 },
      ])
    ).toEqual([
      { id: 'shipping', onset: 1000 },
      { id: 'checkout', onset: 2000 },
      { id: 'frontend', onset: 2000 },
    ]);
  });
});
