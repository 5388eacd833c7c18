import { readFileSync } from 'fs';
import { join } from 'path';

import { validateQuery } from './query/validateQuery';
import {
  COMMON_QUERY_FIELDS,
  FORECAST_QUANTITIES,
  INCIDENT_VIEWS,
  QUERY_FIELDS,
  QUERY_TYPES,
  SCOPES,
  type SeismoQuery,
  type SignalInfo,
} from './types';

const root = join(__dirname, '..', '..');

// The same file the Go tests read: the two query models cannot drift apart unnoticed.
const contract = JSON.parse(readFileSync(join(root, 'pkg', 'models', 'testdata', 'query_contract.json'), 'utf8')) as {
  commonFields: string[];
  queryTypes: Record<string, { fields: string[]; valid: SeismoQuery }>;
  enums: { scope: string[]; incidentView: string[]; quantity: string[] };
};

describe('query model contract shared with the Go backend', () => {
  it('has the same common fields', () => {
    expect([...COMMON_QUERY_FIELDS]).toEqual(contract.commonFields);
  });

  it('has the same query types with the same fields', () => {
    expect(Object.fromEntries(Object.entries(QUERY_FIELDS).map(([type, fields]) => [type, [...fields]]))).toEqual(
      Object.fromEntries(Object.entries(contract.queryTypes).map(([type, { fields }]) => [type, fields]))
    );
  });

  it('offers every type in the editor', () => {
    expect(QUERY_TYPES.map((type) => type.value).sort()).toEqual(Object.keys(contract.queryTypes).sort());
  });

  it('has the same choices for scope, incident view and forecast quantity', () => {
    expect([...SCOPES]).toEqual(contract.enums.scope);
    expect([...INCIDENT_VIEWS]).toEqual(contract.enums.incidentView);
    expect([...FORECAST_QUANTITIES]).toEqual(contract.enums.quantity);
  });

  it.each(Object.entries(contract.queryTypes))('accepts the contract example of %s', (type, { valid }) => {
    expect(valid.queryType).toBe(type);
    expect(validateQuery({ ...valid, refId: 'A' })).toEqual([]);
  });
});

describe('canonical signals shared with the sidecar and the Go backend', () => {
  // The Go test compares pkg/models/signals.go with this file; this test compares the sidecar's
  // own table with it, so the three stay equal.
  const shared = JSON.parse(
    readFileSync(join(root, 'pkg', 'models', 'testdata', 'canonical_signals.json'), 'utf8')
  ) as {
    signals: Record<'service' | 'edge', Array<Omit<SignalInfo, 'scope'>>>;
  };
  // Loaded at run time: the sidecar is another workspace, outside this package's sources.
  const { CANONICAL_SIGNALS } = jest.requireActual(
    join(root, 'backend-sidecar', 'src', 'signals', 'canonicalSignals.ts')
  ) as {
    CANONICAL_SIGNALS: Record<'service' | 'edge', Record<string, SignalInfo>>;
  };

  it.each(['service', 'edge'] as const)('lists the %s signals of the sidecar, in its order', (scope) => {
    const sidecar = Object.values(CANONICAL_SIGNALS[scope]).map(({ name, unit, grafanaUnit, description }) => ({
      name,
      unit,
      grafanaUnit,
      description,
    }));
    expect(shared.signals[scope]).toEqual(sidecar);
  });
});
