import type { FaultStatus } from '../faults/FaultController.js';
import type {
  SidecarEdgeStatus,
  SidecarForecastTarget,
  SidecarServiceStatus,
  SidecarStatus,
} from '../scenarios/SidecarApi.js';

/** What the sidecar said in one interval, as the embedded demo prints it. */
export interface SidecarSnapshot {
  readonly at: Date;
  readonly status: SidecarStatus;
  readonly services: readonly SidecarServiceStatus[];
  readonly edges: readonly SidecarEdgeStatus[];
  readonly forecasts: readonly SidecarForecastTarget[];
  readonly temperature: number | null;
  readonly openThreshold: number | null;
  readonly incident: { readonly id: string; readonly severity: string } | null;
  /** Ranked services of the open incident. */
  readonly rootCause: readonly string[];
  readonly faults: readonly FaultStatus[];
}

const num = (value: number | null | undefined, digits: number, width: number): string =>
  (value === null || value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits)).padStart(width);

function faultTarget(fault: FaultStatus): string {
  return typeof fault.target === 'string' ? fault.target : `${fault.target.client}->${fault.target.server}`;
}

function topSignal(service: SidecarServiceStatus): string {
  const top = service.topContributions?.[0];
  return top === undefined || service.score === null ? '' : `${top.signal} ${(top.share * 100).toFixed(0)}%`;
}

/**
 * The console lines of one interval, like the lab's detector tables: per service its detector
 * state, score against its threshold, accumulator and what drives the score, beside the forecast
 * error of its p95 latency and the faults really active; then the anomalous call edges, the
 * temperature and the incident with its top root cause.
 */
export function formatSidecarStatus(s: SidecarSnapshot): string[] {
  const active = s.faults.filter((f) => f.state === 'active');
  const faultOf = new Map<string, string[]>();
  for (const fault of active) {
    const service = typeof fault.target === 'string' ? fault.target : fault.target.server;
    faultOf.set(service, [...(faultOf.get(service) ?? []), `${fault.type}:${fault.id}`]);
  }
  const forecastOf = new Map(
    s.forecasts
      .filter((f) => f.scope === 'service' && f.signal === 'latency_p95' && f.service !== undefined)
      .map((f) => [f.service as string, f])
  );
  const cycle = s.status.lastCycle;
  const states = Object.entries(s.status.services ?? {})
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
  const lines = [
    `--- ${s.at.toISOString()}  cycle ${num(cycle?.durationSeconds, 2, 0)} s, ${cycle?.queries ?? '-'} queries, ` +
      `Prometheus ${cycle?.prometheusUp === false ? 'DOWN' : 'up'}; services: ${states || 'none yet'}; ` +
      `${active.length === 0 ? 'no active fault' : `${active.length} active fault(s)`}`,
  ];
  const width = Math.max('service'.length, ...s.services.map((x) => x.service.length));
  lines.push(
    `${'service'.padEnd(width)}  ${'state'.padEnd(8)}  ${'detector'.padEnd(11)}  ${'score'.padStart(5)}  ${'thr'.padStart(5)}  ` +
      `${'acc'.padStart(4)}  ${'p95 MAE ms'.padStart(10)}  ${'MAPE %'.padStart(6)}  ${'driven by'.padEnd(24)}  fault`
  );
  for (const service of [...s.services].sort((a, b) => a.service.localeCompare(b.service))) {
    const forecast = forecastOf.get(service.service);
    const flag = service.anomalous === true ? '!' : ' ';
    lines.push(
      `${service.service.padEnd(width)}  ${service.state.padEnd(8)}  ${(service.detector ?? '-').padEnd(11)}  ` +
        `${num(service.score, 2, 5)}${flag} ${num(service.threshold, 2, 5)}  ${num(service.accumulator, 0, 4)}  ` +
        `${num(forecast?.mae === null || forecast?.mae === undefined ? null : forecast.mae * 1000, 1, 10)}  ` +
        `${num(forecast?.mape === null || forecast?.mape === undefined ? null : forecast.mape * 100, 1, 6)}  ` +
        `${topSignal(service).padEnd(24)}  ${faultOf.get(service.service)?.join(', ') ?? ''}`
    );
  }
  const hotEdges = s.edges.filter((e) => e.anomalous === true || e.accumulator > 0);
  for (const edge of hotEdges) {
    const top = Object.entries(edge.contributions ?? {}).sort(([, a], [, b]) => b - a)[0];
    lines.push(
      `  edge ${edge.id}: score ${num(edge.score, 2, 0)}${edge.anomalous === true ? ' anomalous' : ''}, ` +
        `accumulator ${num(edge.accumulator, 0, 0)}${top === undefined ? '' : `, driven by ${top[0]}`}`
    );
  }
  const incident =
    s.incident === null
      ? 'no incident'
      : `${s.incident.severity} incident ${s.incident.id} open${s.rootCause[0] === undefined ? '' : `, top root cause ${s.rootCause[0]}${s.rootCause.length > 1 ? ` (then ${s.rootCause.slice(1, 3).join(', ')})` : ''}`}`;
  lines.push(
    `  temperature ${num(s.temperature, 1, 0)}${s.openThreshold === null ? '' : ` (opens at ${num(s.openThreshold, 0, 0)})`}; ${incident}`
  );
  for (const fault of active) {
    lines.push(`  active fault: ${fault.id} (${fault.type} on ${faultTarget(fault)}) since ${fault.start}`);
  }
  return lines;
}
