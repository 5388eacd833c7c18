import { type DataSourceInstanceSettings, type ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';

import { DEFAULT_QUERY, type SeismoOptions, type SeismoQuery } from './types';

/**
 * Frontend half of the datasource. Queries run in the Go backend (so that alert rules work);
 * this class only interpolates dashboard variables, which alert rules never have.
 */
export class SeismoDataSource extends DataSourceWithBackend<SeismoQuery, SeismoOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<SeismoOptions>) {
    super(instanceSettings);
  }

  getDefaultQuery(): Partial<SeismoQuery> {
    return DEFAULT_QUERY;
  }

  applyTemplateVariables(query: SeismoQuery, scopedVars: ScopedVars): SeismoQuery {
    const templateSrv = getTemplateSrv();
    const interpolate = (value: string | undefined) => (value ? templateSrv.replace(value, scopedVars) : value);
    return {
      ...query,
      service: interpolate(query.service),
      client: interpolate(query.client),
      server: interpolate(query.server),
    };
  }

  filterQuery(query: SeismoQuery): boolean {
    return !query.hide;
  }
}
