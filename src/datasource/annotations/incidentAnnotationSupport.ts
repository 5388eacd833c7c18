import { type AnnotationQuery, type AnnotationSupport } from '@grafana/data';

import type { SeismoQuery } from '../types';
import { IncidentAnnotationEditor } from './IncidentAnnotationEditor';

const ANNOTATION_QUERY: Partial<SeismoQuery> = { queryType: 'incidents', incidentView: 'annotations' };

/**
 * Incidents as annotations: every annotation runs the incidents query in its annotations view,
 * whose frame has the fields Grafana maps to events (time, timeEnd, title, text, tags, id).
 */
export function incidentAnnotationSupport(): AnnotationSupport<SeismoQuery> {
  return {
    QueryEditor: IncidentAnnotationEditor,
    getDefaultQuery: () => ({ ...ANNOTATION_QUERY }),
    prepareQuery: (annotation: AnnotationQuery<SeismoQuery>): SeismoQuery => ({
      ...annotation.target,
      refId: annotation.target?.refId ?? 'Anno',
      ...ANNOTATION_QUERY,
    }),
  };
}
