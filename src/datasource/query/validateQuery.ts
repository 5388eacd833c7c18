import type { SeismoQuery } from '../types';

export interface QueryProblem {
  /** The query field at fault; the editor shows the message next to it. */
  field: keyof SeismoQuery;
  message: string;
}

// The Prometheus duration syntax the backend accepts (e.g. 30s, 1m30s, 1d).
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

/**
 * Problems the backend would refuse the query for, found before it runs so that the editor can
 * say what to fix next to the field. The backend checks the same rules (pkg/models/query.go).
 */
export function validateQuery(query: SeismoQuery): QueryProblem[] {
  const problems: QueryProblem[] = [];
  const add = (field: keyof SeismoQuery, message: string) => problems.push({ field, message });
  const type = query.queryType ?? 'anomalyScore';

  if (query.step && !DURATION.test(query.step.trim())) {
    add('step', `"${query.step}" is not a duration; use e.g. 30s, 5m or 1h, or leave it empty`);
  }
  if (type === 'forecast' || type === 'signal') {
    if ((query.scope ?? 'service') === 'service') {
      if (!query.service) {
        add('service', `a ${type === 'forecast' ? 'forecast' : 'signal'} needs a service`);
      }
    } else {
      if (!query.client) {
        add('client', 'an edge needs its client');
      }
      if (!query.server) {
        add('server', 'an edge needs its server');
      }
    }
  }
  if (type === 'signal' && !query.signal) {
    add('signal', 'choose a signal');
  }
  if (type === 'topology' && query.hops !== undefined) {
    if (!Number.isInteger(query.hops) || query.hops < 0 || query.hops > 10) {
      add('hops', 'hops must be a whole number from 0 to 10');
    } else if (!query.service && !query.anomalousOnly) {
      add('hops', 'hops counts from a focus service or from the anomalous nodes; set one, or clear hops');
    }
  }
  return problems;
}

/** Whether alert rules can use the query: it returns numeric time series. */
export function isAlertable(query: SeismoQuery): boolean {
  switch (query.queryType ?? 'anomalyScore') {
    case 'anomalyScore':
    case 'edgeScore':
    case 'forecast':
    case 'signal':
      return true;
    case 'incidents':
      return (query.incidentView ?? 'timeline') === 'timeline';
    default:
      return false;
  }
}

/**
 * What an alert rule needs beyond a valid query: literal values (alert rules get no template
 * interpolation) and, for forecasts, one series, since alert instances are told apart by labels.
 */
export function alertRuleProblems(query: SeismoQuery): QueryProblem[] {
  const problems: QueryProblem[] = [];
  if (!isAlertable(query)) {
    problems.push({ field: 'queryType', message: 'this query type returns no time series; alert rules cannot use it' });
  }
  for (const field of ['service', 'client', 'server', 'signal', 'incidentId'] as const) {
    if (query[field]?.includes('$')) {
      problems.push({ field, message: 'alert rules do not interpolate variables; use a literal value' });
    }
  }
  if (query.queryType === 'forecast' && !query.quantity) {
    problems.push({
      field: 'quantity',
      message: 'an alert rule on a forecast should keep one series, usually "anomalous"',
    });
  }
  return problems;
}
