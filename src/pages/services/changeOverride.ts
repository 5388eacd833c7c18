import type { SelectionOverrides } from '../api/sidecarTypes';

/**
 * The overrides after one change for one service: `include` monitors it whatever the config's
 * rules say, `exclude` stops monitoring it, `rules` drops the override so the config decides.
 * A service is never in both lists; the lists stay sorted so that saves are stable.
 */
export function changeOverride(
  overrides: SelectionOverrides,
  service: string,
  change: 'include' | 'exclude' | 'rules'
): Required<SelectionOverrides> {
  const include = new Set(overrides.include ?? []);
  const exclude = new Set(overrides.exclude ?? []);
  include.delete(service);
  exclude.delete(service);
  if (change === 'include') {
    include.add(service);
  } else if (change === 'exclude') {
    exclude.add(service);
  }
  return { include: [...include].sort(), exclude: [...exclude].sort() };
}
