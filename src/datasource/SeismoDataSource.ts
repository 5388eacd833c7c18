import { type CoreApp, type DataSourceInstanceSettings, type ScopedVars, type TimeRange } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, type TemplateSrv } from '@grafana/runtime';

import { incidentAnnotationSupport } from './annotations/incidentAnnotationSupport';
import { interpolateQuery } from './query/interpolateQuery';
import {
  DEFAULT_QUERY,
  type EdgeInfo,
  type Scope,
  type SeismoOptions,
  type SeismoQuery,
  type SignalInfo,
} from './types';
import { SeismoVariableSupport } from './variables/SeismoVariableSupport';

/**
 * Frontend half of the datasource. Queries run in the Go backend (so that alert rules work);
 * this class interpolates dashboard variables, which alert rules never have, wires annotations
 * and template variables, and reads the backend's picker resources.
 */
export class SeismoDataSource extends DataSourceWithBackend<SeismoQuery, SeismoOptions> {
  private readonly templateSrv: TemplateSrv;

  constructor(
    instanceSettings: DataSourceInstanceSettings<SeismoOptions>,
    templateSrv: TemplateSrv = getTemplateSrv()
  ) {
    super(instanceSettings);
    this.templateSrv = templateSrv;
    this.annotations = incidentAnnotationSupport();
    this.variables = new SeismoVariableSupport(this);
  }

  getDefaultQuery(_app: CoreApp): Partial<SeismoQuery> {
    return DEFAULT_QUERY;
  }

  applyTemplateVariables(query: SeismoQuery, scopedVars: ScopedVars): SeismoQuery {
    return interpolateQuery(query, (value, multi) =>
      this.templateSrv.replace(value, scopedVars, (v: string | string[]) => (Array.isArray(v) ? multi(v) : v))
    );
  }

  filterQuery(query: SeismoQuery): boolean {
    return !query.hide;
  }

  /** Services with any seismo_* series in the range (the last 24 hours without one). */
  async listServices(range?: TimeRange): Promise<string[]> {
    const answer = await this.getResource<{ services: string[] }>('services', rangeParams(range));
    return answer.services;
  }

  async listEdges(range?: TimeRange): Promise<EdgeInfo[]> {
    const answer = await this.getResource<{ edges: EdgeInfo[] }>('edges', rangeParams(range));
    return answer.edges;
  }

  async listSignals(scope: Scope): Promise<SignalInfo[]> {
    const answer = await this.getResource<{ signals: SignalInfo[] }>('signals', { scope });
    return answer.signals;
  }
}

function rangeParams(range?: TimeRange): Record<string, string> | undefined {
  if (!range) {
    return undefined;
  }
  return { from: String(range.from.valueOf()), to: String(range.to.valueOf()) };
}
