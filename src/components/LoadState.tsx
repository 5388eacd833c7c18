import React, { type ReactNode } from 'react';
import { LoadingPlaceholder } from '@grafana/ui';

import { SidecarErrorAlert } from './SidecarErrorAlert';
import type { SidecarData } from './useSidecarData';

interface Props<T> {
  data: SidecarData<T>;
  datasourceUid: string;
  loadingText: string;
  children: (value: T) => ReactNode;
}

/** Shows the loading state, the error with its fix, or the loaded content. */
export function LoadState<T>({ data, datasourceUid, loadingText, children }: Props<T>) {
  const { result, reload } = data;
  if (result.status === 'loading') {
    return <LoadingPlaceholder text={loadingText} />;
  }
  if (result.status === 'error') {
    return <SidecarErrorAlert error={result.error} datasourceUid={datasourceUid} onRetry={reload} />;
  }
  return <>{children(result.data)}</>;
}
