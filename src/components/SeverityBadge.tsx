import React from 'react';
import { Badge } from '@grafana/ui';

import type { Severity } from '../pages/api/sidecarTypes';

/** SEV1 (several services affected) in red, SEV2 (one) in orange. */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return severity === 'SEV1' ? (
    <Badge color="red" icon="fire" text="SEV1" />
  ) : (
    <Badge color="orange" icon="exclamation-triangle" text="SEV2" />
  );
}
