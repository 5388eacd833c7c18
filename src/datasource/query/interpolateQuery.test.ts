import { type Interpolate, interpolateQuery } from './interpolateQuery';

// A stand-in for Grafana's template service: $service has one value, $many several.
const variables: Record<string, string[]> = { $service: ['cart'], $many: ['cart', 'payment'], $step: ['5m'] };
const interpolate: Interpolate = (value, multi) =>
  value.replace(/\$\w+/g, (name) => {
    const values = variables[name];
    if (!values) {
      return name;
    }
    return values.length === 1 ? values[0] : multi(values);
  });

describe('interpolateQuery', () => {
  it('replaces variables in every name field', () => {
    expect(
      interpolateQuery(
        {
          refId: 'A',
          queryType: 'signal',
          service: '$service',
          client: '$service',
          server: 'x',
          signal: 'latency_p95',
          incidentId: '',
          step: '$step',
        },
        interpolate
      )
    ).toEqual({
      refId: 'A',
      queryType: 'signal',
      service: 'cart',
      client: 'cart',
      server: 'x',
      signal: 'latency_p95',
      incidentId: '',
      step: '5m',
    });
  });

  it('turns a multi-value variable into "all"', () => {
    expect(interpolateQuery({ refId: 'A', queryType: 'anomalyScore', service: '$many' }, interpolate).service).toBe('');
  });

  it('leaves numbers, flags and unknown variables alone', () => {
    const query = { refId: 'A', queryType: 'topology' as const, hops: 2, anomalousOnly: true, service: '$unknown' };
    expect(interpolateQuery(query, interpolate)).toEqual(query);
  });
});
