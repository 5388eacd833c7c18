import React from 'react';
import { type QueryEditorProps } from '@grafana/data';
import { Alert } from '@grafana/ui';

import type { SeismoQuery } from '../types';

/**
 * The annotation query has nothing to choose: it shows every incident in the time range. The
 * editor says what the events contain so that users know what to filter on.
 */
export function IncidentAnnotationEditor(_props: QueryEditorProps<any, SeismoQuery>) {
  return (
    <Alert severity="info" title="Seismo incidents">
      One annotation per incident, spanning the time it was open. The title gives its severity (SEV1, SEV2), the text
      the affected services and edges and the most probable root cause with its evidence. Tags are seismo, the severity
      and the root-cause service: filter by tag to show, for example, only SEV1 incidents.
    </Alert>
  );
}
