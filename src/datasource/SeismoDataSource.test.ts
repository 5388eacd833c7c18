import {
  createDataFrame,
  dateTime,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  FieldType,
  type ScopedVars,
} from '@grafana/data';
import { type TemplateSrv } from '@grafana/runtime';
import { firstValueFrom, of } from 'rxjs';

import { SeismoDataSource } from './SeismoDataSource';
import type { SeismoOptions, SeismoQuery, SeismoVariableQuery } from './types';
import { SeismoVariableSupport } from './variables/SeismoVariableSupport';

const settings = {
  id: 1,
  uid: 'seismo',
  type: 'seismo-anomaly-datasource',
  name: 'Seismo',
  access: 'proxy',
  readOnly: false,
  jsonData: {},
  meta: { id: 'seismo-anomaly-datasource' },
} as unknown as DataSourceInstanceSettings<SeismoOptions>;

// Grafana's template service in miniature: $service has one value, $services two; a format
// function receives arrays for multi-value variables, as Grafana passes them.
const variables: Record<string, string | string[]> = { service: 'checkout', services: ['cart', 'payment'] };
const templateSrv = {
  replace: (target: string, scoped?: ScopedVars, format?: (v: string | string[]) => string) =>
    target.replace(/\$(\w+)/g, (whole, name: string) => {
      const value = scoped?.[name]?.value ?? variables[name];
      if (value === undefined) {
        return whole;
      }
      return format ? format(value as string | string[]) : String(value);
    }),
} as unknown as TemplateSrv;

function datasource() {
  return new SeismoDataSource(settings, templateSrv);
}

describe('SeismoDataSource', () => {
  it('interpolates dashboard variables into the query fields', () => {
    const query = datasource().applyTemplateVariables(
      { refId: 'A', queryType: 'forecast', service: '$service', signal: 'latency_p95', step: '1m' },
      {}
    );
    expect(query).toEqual({
      refId: 'A',
      queryType: 'forecast',
      service: 'checkout',
      signal: 'latency_p95',
      step: '1m',
    });
  });

  it('uses the repeated panel value, and "all" for several values', () => {
    const ds = datasource();
    const scoped: ScopedVars = { service: { text: 'cart', value: 'cart' } };
    expect(
      ds.applyTemplateVariables({ refId: 'A', queryType: 'anomalyScore', service: '$service' }, scoped).service
    ).toBe('cart');
    expect(ds.applyTemplateVariables({ refId: 'A', queryType: 'anomalyScore', service: '$services' }, {}).service).toBe(
      ''
    );
  });

  it('skips hidden queries', () => {
    expect(datasource().filterQuery({ refId: 'A', hide: true })).toBe(false);
    expect(datasource().filterQuery({ refId: 'A' })).toBe(true);
  });

  it('reads the pickers from the backend resources with the time range', async () => {
    const ds = datasource();
    const getResource = jest.spyOn(ds, 'getResource').mockImplementation(async (path: string) => {
      switch (path) {
        case 'services':
          return { services: ['cart'] };
        case 'edges':
          return { edges: [{ client: 'frontend', server: 'cart' }] };
        default:
          return {
            signals: [
              { name: 'error_ratio', scope: 'edge', unit: 'ratio (0-1)', grafanaUnit: 'percentunit', description: 'x' },
            ],
          };
      }
    });
    const range = { from: dateTime(1772362800000), to: dateTime(1772366400000), raw: { from: 'now-1h', to: 'now' } };
    await expect(ds.listServices(range)).resolves.toEqual(['cart']);
    expect(getResource).toHaveBeenLastCalledWith('services', { from: '1772362800000', to: '1772366400000' });
    await expect(ds.listEdges()).resolves.toEqual([{ client: 'frontend', server: 'cart' }]);
    expect(getResource).toHaveBeenLastCalledWith('edges', undefined);
    await expect(ds.listSignals('edge')).resolves.toHaveLength(1);
    expect(getResource).toHaveBeenLastCalledWith('signals', { scope: 'edge' });
  });

  it('turns every annotation into the incidents annotations query', () => {
    const annotations = datasource().annotations!;
    expect(annotations.getDefaultQuery!()).toEqual({ queryType: 'incidents', incidentView: 'annotations' });
    const query = annotations.prepareQuery!({
      name: 'Incidents',
      enable: true,
      iconColor: 'red',
      target: { refId: 'Anno', queryType: 'anomalyScore', service: 'cart' },
    });
    expect(query).toEqual({ refId: 'Anno', queryType: 'incidents', incidentView: 'annotations', service: 'cart' });
  });

  it('answers variable queries with the services query', async () => {
    const ds = datasource();
    expect(ds.variables).toBeInstanceOf(SeismoVariableSupport);
    const edges = createDataFrame({
      name: 'edges',
      fields: [
        { name: 'client', type: FieldType.string, values: ['frontend'] },
        { name: 'server', type: FieldType.string, values: ['cart'] },
        { name: 'edge', type: FieldType.string, values: ['frontend->cart'] },
      ],
    });
    const query = jest.spyOn(ds, 'query').mockReturnValue(of({ data: [edges] }));
    const request = {
      targets: [{ refId: 'V', scope: 'edge', edgeField: 'server' }],
      range: { from: dateTime(0), to: dateTime(1), raw: { from: 'now-1h', to: 'now' } },
    } as unknown as DataQueryRequest<SeismoVariableQuery>;

    const response = await firstValueFrom((ds.variables as SeismoVariableSupport).query(request));
    const sent = query.mock.calls[0][0] as DataQueryRequest<SeismoQuery>;
    expect(sent.targets).toEqual([{ refId: 'V', queryType: 'services', scope: 'edge' }]);
    expect(response.data[0].fields.map((f: { name: string; values: unknown[] }) => [f.name, f.values])).toEqual([
      ['text', ['cart']],
      ['value', ['cart']],
    ]);
  });
});
