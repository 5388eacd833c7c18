import { readJson } from './repoFiles.js';

interface QueryContract {
  commonFields: string[];
  queryTypes: Record<string, { fields?: string[]; valid?: Record<string, unknown> }>;
  enums?: Record<string, string[]>;
}

/** The Seismo query model both the Go backend and the TypeScript editor are tested against. */
export const queryContract = readJson<QueryContract>('pkg/models/testdata/query_contract.json');

/** Keys Grafana itself adds to a saved query, whatever the datasource. */
const GRAFANA_KEYS = new Set(['refId', 'datasource', 'hide', 'key', 'intervalMs', 'maxDataPoints', 'queryType']);

const isVariable = (value: unknown) => typeof value === 'string' && value.includes('$');

/**
 * Problems with one saved Seismo query, each naming the field; empty when valid. Checks the
 * query type and fields against the contract file, enum values and the cross-field rules of
 * docs/frames.md. With `literalOnly` (alert rules, evaluated without template interpolation),
 * template variables are problems too.
 */
export function checkSeismoQuery(query: Record<string, unknown>, { literalOnly = false } = {}): string[] {
  const problems: string[] = [];
  const type = query.queryType;
  if (typeof type !== 'string' || !(type in queryContract.queryTypes)) {
    return [`queryType ${JSON.stringify(type)} is not one of ${Object.keys(queryContract.queryTypes).join(', ')}`];
  }
  const allowed = new Set([...queryContract.commonFields, ...(queryContract.queryTypes[type]!.fields ?? [])]);
  for (const [key, value] of Object.entries(query)) {
    if (!allowed.has(key) && !GRAFANA_KEYS.has(key)) {
      problems.push(`${type}: field "${key}" is not part of the query model`);
      continue;
    }
    const values = queryContract.enums?.[key];
    if (values && !isVariable(value) && !values.includes(String(value))) {
      problems.push(`${type}: ${key} ${JSON.stringify(value)} is not one of ${values.join(', ')}`);
    }
    if (literalOnly && isVariable(value)) {
      problems.push(`${type}: ${key} ${JSON.stringify(value)} is a template variable; alert rules need literal values`);
    }
  }
  if (type === 'forecast' || type === 'signal') {
    const edge = query.scope === 'edge';
    const needed = edge ? ['client', 'server'] : ['service'];
    for (const key of [...needed, ...(type === 'signal' ? ['signal'] : [])]) {
      if (!query[key]) {
        problems.push(`${type}: ${key} is required for scope ${edge ? 'edge' : 'service'}`);
      }
    }
  }
  if (query.hops !== undefined && !isVariable(query.hops)) {
    const hops = Number(query.hops);
    if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
      problems.push(`${type}: hops ${JSON.stringify(query.hops)} is not a whole number from 0 to 10`);
    }
  }
  if (typeof query.step === 'string' && query.step !== '' && !/^\d+(ms|s|m|h|d|w|y)$/.test(query.step)) {
    problems.push(`${type}: step ${JSON.stringify(query.step)} is not a Prometheus duration`);
  }
  return problems;
}
