import { withQueryType } from './withQueryType';

describe('withQueryType', () => {
  it('starts a forecast from the default signal of a service', () => {
    expect(withQueryType({ refId: 'A', queryType: 'anomalyScore', service: 'cart' }, 'forecast')).toEqual({
      refId: 'A',
      queryType: 'forecast',
      service: 'cart',
      scope: 'service',
      signal: 'latency_p95',
    });
  });

  it('keeps a chosen scope and signal', () => {
    const query = withQueryType({ refId: 'A', queryType: 'forecast', scope: 'edge', signal: 'error_ratio' }, 'signal');
    expect(query).toMatchObject({ queryType: 'signal', scope: 'edge', signal: 'error_ratio' });
  });

  it('opens incidents on the timeline', () => {
    expect(withQueryType({ refId: 'A' }, 'incidents').incidentView).toBe('timeline');
    expect(withQueryType({ refId: 'A', incidentView: 'list' }, 'incidents').incidentView).toBe('list');
  });

  it('lists services by default', () => {
    expect(withQueryType({ refId: 'A' }, 'services').scope).toBe('service');
  });
});
