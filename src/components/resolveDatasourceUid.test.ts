import { resolveDatasourceUid } from './resolveDatasourceUid';

describe('resolveDatasourceUid', () => {
  it('uses the chosen datasource', () => {
    expect(resolveDatasourceUid('prod', [{ uid: 'a' }])).toEqual({ uid: 'prod', chosen: true });
  });

  it('falls back to the only Seismo datasource', () => {
    expect(resolveDatasourceUid(undefined, [{ uid: 'a' }])).toEqual({ uid: 'a', chosen: false });
  });

  it('does not guess between several', () => {
    expect(resolveDatasourceUid(undefined, [{ uid: 'a' }, { uid: 'b' }])).toBeUndefined();
    expect(resolveDatasourceUid('', [])).toBeUndefined();
  });
});
