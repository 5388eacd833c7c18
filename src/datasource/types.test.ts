import { readFileSync } from 'fs';
import { join } from 'path';

import { COMMON_QUERY_FIELDS, QUERY_FIELDS, QUERY_TYPES } from './types';

// The same file the Go tests read: the two query models cannot drift apart unnoticed.
const contract = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'pkg', 'models', 'testdata', 'query_contract.json'), 'utf8')
) as {
  commonFields: string[];
  queryTypes: Record<string, { status: 'implemented' | 'reserved'; fields?: string[] }>;
};

const implemented = Object.entries(contract.queryTypes).filter(([, type]) => type.status === 'implemented');

describe('query model contract shared with the Go backend', () => {
  it('has the same common fields', () => {
    expect([...COMMON_QUERY_FIELDS]).toEqual(contract.commonFields);
  });

  it('implements the same query types with the same fields', () => {
    expect(Object.fromEntries(Object.entries(QUERY_FIELDS).map(([type, fields]) => [type, [...fields]]))).toEqual(
      Object.fromEntries(implemented.map(([type, { fields }]) => [type, fields]))
    );
  });

  it('offers exactly the implemented types in the editor', () => {
    expect(QUERY_TYPES.map((type) => type.value).sort()).toEqual(implemented.map(([type]) => type).sort());
  });
});
