import { CustomVariableSupport, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { map, type Observable } from 'rxjs';

import type { SeismoDataSource } from '../SeismoDataSource';
import type { SeismoQuery, SeismoVariableQuery } from '../types';
import { toVariableFrame } from './toVariableFrame';
import { VariableQueryEditor } from './VariableQueryEditor';

/** Template variables of services or call edges, answered by the backend's services query. */
export class SeismoVariableSupport extends CustomVariableSupport<SeismoDataSource, SeismoVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: SeismoDataSource) {
    super();
  }

  query(request: DataQueryRequest<SeismoVariableQuery>): Observable<DataQueryResponse> {
    const variable = request.targets[0] ?? { refId: 'variable', scope: 'service' };
    const target: SeismoQuery = { refId: variable.refId, queryType: 'services', scope: variable.scope ?? 'service' };
    return this.datasource
      .query({ ...request, targets: [target] })
      .pipe(map((response) => ({ ...response, data: [toVariableFrame(response.data, variable)] })));
  }
}
