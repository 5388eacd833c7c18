import { DEFAULT_FORECAST_SIGNAL, type SeismoQuery, type SeismoQueryType } from '../types';

/**
 * The query after switching its type: what the new type reads is kept, and the new type's
 * defaults are filled in, so that a forecast or signal query starts from a usable signal and an
 * incidents query from its timeline.
 */
export function withQueryType(query: SeismoQuery, queryType: SeismoQueryType): SeismoQuery {
  const next: SeismoQuery = { ...query, queryType };
  switch (queryType) {
    case 'forecast':
    case 'signal':
      next.scope = query.scope ?? 'service';
      next.signal = query.signal ?? DEFAULT_FORECAST_SIGNAL;
      break;
    case 'incidents':
      next.incidentView = query.incidentView ?? 'timeline';
      break;
    case 'services':
      next.scope = query.scope ?? 'service';
      break;
  }
  return next;
}
