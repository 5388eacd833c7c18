import { focusGraph } from './focusGraph';

const chain = ['a', 'b', 'c', 'd', 'e'].slice(1).map((target, i) => ({ source: 'abcde'[i]!, target }));

describe('focusGraph', () => {
  it('keeps the seeds and their neighbours within k hops in both directions', () => {
    expect(focusGraph(chain, { seeds: ['c'], hops: 1 })).toEqual(new Set(['c', 'b', 'd']));
    expect(focusGraph(chain, { seeds: ['c'], hops: 2 })).toEqual(new Set(['a', 'b', 'c', 'd', 'e']));
  });

  it('keeps only the seeds at zero hops', () => {
    expect(focusGraph(chain, { seeds: ['a', 'e'], hops: 0 })).toEqual(new Set(['a', 'e']));
  });
});
