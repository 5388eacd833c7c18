import type { SeismoQuery } from '../types';

/** Replaces dashboard variables in one value; `multi` receives every value of a multi-value variable. */
export type Interpolate = (value: string, multi: (values: string[]) => string) => string;

// Fields that may hold a dashboard variable; the others are numbers, flags or fixed choices.
const TEXT_FIELDS = ['service', 'client', 'server', 'signal', 'incidentId', 'step'] as const;

/**
 * Interpolates dashboard variables for dashboards and Explore. A field holds one name, so a
 * variable with several values (or "All") becomes empty, which the score queries read as "every
 * service" or "any edge"; repeat the panel to get one query per value instead. Alert rules never
 * pass through here: they need literal values.
 */
export function interpolateQuery(query: SeismoQuery, interpolate: Interpolate): SeismoQuery {
  const out: SeismoQuery = { ...query };
  const oneValue = (values: string[]) => (values.length === 1 ? values[0] : '');
  for (const field of TEXT_FIELDS) {
    const value = query[field];
    if (value) {
      out[field] = interpolate(value, oneValue).trim();
    }
  }
  return out;
}
