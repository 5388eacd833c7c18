import { changeOverride } from './changeOverride';

describe('changeOverride', () => {
  it('moves a service from exclude to include and keeps the lists sorted', () => {
    expect(changeOverride({ include: ['b'], exclude: ['a', 'c'] }, 'a', 'include')).toEqual({
      include: ['a', 'b'],
      exclude: ['c'],
    });
  });

  it('excludes a service that was included', () => {
    expect(changeOverride({ include: ['a'] }, 'a', 'exclude')).toEqual({ include: [], exclude: ['a'] });
  });

  it('drops every override of the service when the config rules should decide', () => {
    expect(changeOverride({ include: ['a'], exclude: ['b'] }, 'a', 'rules')).toEqual({ include: [], exclude: ['b'] });
  });

  it('does not duplicate a service already in the list', () => {
    expect(changeOverride({ include: ['a'] }, 'a', 'include').include).toEqual(['a']);
  });
});
