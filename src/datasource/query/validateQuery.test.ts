import { alertRuleProblems, isAlertable, validateQuery } from './validateQuery';

describe('validateQuery', () => {
  it.each([
    [{ queryType: 'anomalyScore' }, []],
    [{ queryType: 'anomalyScore', step: '1m30s' }, []],
    [{ queryType: 'anomalyScore', step: 'fast' }, ['step']],
    [{ queryType: 'forecast' }, ['service']],
    [{ queryType: 'forecast', service: 'cart' }, []],
    [{ queryType: 'forecast', scope: 'edge', client: 'frontend' }, ['server']],
    [{ queryType: 'forecast', scope: 'edge' }, ['client', 'server']],
    [{ queryType: 'signal', service: 'cart' }, ['signal']],
    [{ queryType: 'signal', scope: 'edge', client: 'a', server: 'b', signal: 'error_ratio' }, []],
    [{ queryType: 'topology', hops: 2 }, ['hops']],
    [{ queryType: 'topology', hops: 2, anomalousOnly: true }, []],
    [{ queryType: 'topology', service: 'cart', hops: 11 }, ['hops']],
    [{ queryType: 'topology', service: 'cart', hops: 1.5 }, ['hops']],
    [{ queryType: 'edgeScore' }, []],
    [{ queryType: 'incidents', incidentView: 'list' }, []],
  ] as const)('%j has problems with %j', (query, fields) => {
    expect(validateQuery({ refId: 'A', ...query }).map((p) => p.field)).toEqual(fields);
  });

  it('says what to do', () => {
    expect(validateQuery({ refId: 'A', queryType: 'forecast' })).toEqual([
      { field: 'service', message: 'a forecast needs a service' },
    ]);
  });
});

describe('alert readiness', () => {
  it.each([
    ['anomalyScore', undefined, true],
    ['edgeScore', undefined, true],
    ['forecast', undefined, true],
    ['signal', undefined, true],
    ['incidents', undefined, true],
    ['incidents', 'timeline', true],
    ['incidents', 'list', false],
    ['incidents', 'annotations', false],
    ['rootCause', undefined, false],
    ['topology', undefined, false],
    ['services', undefined, false],
  ] as const)('%s (%s) alertable: %s', (queryType, incidentView, alertable) => {
    expect(isAlertable({ refId: 'A', queryType, incidentView })).toBe(alertable);
  });

  it('asks for literal values and one forecast series', () => {
    const problems = alertRuleProblems({ refId: 'A', queryType: 'forecast', service: '$service' });
    expect(problems.map((p) => p.field)).toEqual(['service', 'quantity']);
    expect(problems[0].message).toContain('alert rules do not interpolate variables');
    expect(alertRuleProblems({ refId: 'A', queryType: 'forecast', service: 'cart', quantity: 'anomalous' })).toEqual(
      []
    );
  });

  it('refuses views without time series', () => {
    expect(alertRuleProblems({ refId: 'A', queryType: 'topology' })[0].message).toContain('returns no time series');
  });
});
