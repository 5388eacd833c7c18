import React from 'react';
import { Alert, Button, LinkButton, Stack } from '@grafana/ui';

import { describeSidecarError } from '../pages/api/describeSidecarError';
import { CONFIG_URL } from '../types';

interface Props {
  error: unknown;
  datasourceUid: string;
  onRetry?: () => void;
}

/** A failed request, what it means and how to fix it, with a link to where the fix is made. */
export function SidecarErrorAlert({ error, datasourceUid, onRetry }: Props) {
  const { title, message, fix, fixAt } = describeSidecarError(error);
  return (
    <Alert severity="error" title={title} data-testid="seismo-sidecar-error">
      <p>{message}</p>
      <p>{fix}</p>
      <Stack direction="row" gap={1}>
        {fixAt === 'datasource' && (
          <LinkButton
            href={`/connections/datasources/edit/${encodeURIComponent(datasourceUid)}`}
            icon="database"
            variant="secondary"
            size="sm"
          >
            Open datasource settings
          </LinkButton>
        )}
        {fixAt === 'app' && (
          <LinkButton href={CONFIG_URL} icon="cog" variant="secondary" size="sm">
            Open app configuration
          </LinkButton>
        )}
        {onRetry && (
          <Button icon="sync" variant="secondary" size="sm" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
