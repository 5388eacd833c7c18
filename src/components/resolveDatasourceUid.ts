/**
 * The datasource the pages query: the one chosen on the configuration page, or else the only
 * Seismo datasource there is. With several and none chosen, the user must choose: guessing
 * would show one environment's incidents as another's.
 */
export function resolveDatasourceUid(
  configured: string | undefined,
  instances: ReadonlyArray<{ uid: string }>
): { uid: string; chosen: boolean } | undefined {
  if (configured) {
    return { uid: configured, chosen: true };
  }
  return instances.length === 1 ? { uid: instances[0]!.uid, chosen: false } : undefined;
}
