import { Counter, Gauge, type Registry } from 'prom-client';

import { ComputedMetric } from './ComputedMetric.js';

/** Labels of a forecast target: `service` or `client`/`server`, never both. */
export const FORECAST_LABELS = ['scope', 'service', 'client', 'server', 'signal'] as const;

/**
 * Every series the detection loop exports (docs/metrics.md: detection, forecasts, incidents,
 * root cause, models and the loop's part of the sidecar's own health), registered on the app's
 * registry. The shell's own health metrics live in createSidecarMetrics.
 */
export function createDetectionMetrics(registry: Registry) {
  const registers = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers });
  const forecast = (name: string, help: string) => gauge(name, help, FORECAST_LABELS);
  // One series per service or edge (or several): computed from the published cycle when scraped.
  const computed = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    type: 'gauge' | 'counter' = 'gauge'
  ) => new ComputedMetric<L>({ name, help, type, labelNames, registers });

  return {
    // Detection
    serviceScore: computed('seismo_service_anomaly_score', 'Calibrated anomaly score of the service in [0, 1].', [
      'service',
    ]),
    serviceThreshold: computed(
      'seismo_service_anomaly_threshold',
      'Score at or above which the service counts as anomalous.',
      ['service']
    ),
    serviceAnomalous: computed(
      'seismo_service_anomalous',
      '1 when the last interval was anomalous, 0 when normal; absent when unknown.',
      ['service']
    ),
    serviceError: computed(
      'seismo_service_reconstruction_error',
      'Raw autoencoder reconstruction error of the newest window.',
      ['service']
    ),
    serviceContribution: computed(
      'seismo_service_signal_contribution',
      "Share of the service's anomaly due to one signal (top 3).",
      ['service', 'signal']
    ),
    serviceState: computed('seismo_service_detector_state', "1 for the service's current detector and state.", [
      'service',
      'detector',
      'state',
    ]),
    serviceAnomalousIntervals: computed(
      'seismo_service_anomalous_intervals_total',
      'Evaluation intervals in which the service was anomalous.',
      ['service'],
      'counter'
    ),
    serviceInfo: computed('seismo_service_info', "Always 1: the service's namespace and owning team.", [
      'service',
      'namespace',
      'team',
    ]),
    edgeScore: computed('seismo_edge_anomaly_score', 'Anomaly score of the call edge in [0, 1].', ['client', 'server']),
    edgeAnomalous: computed(
      'seismo_edge_anomalous',
      '1 anomalous, 0 normal in the last interval; absent when unknown.',
      ['client', 'server']
    ),
    edgeContribution: computed(
      'seismo_edge_signal_contribution',
      "Share of the edge's anomaly due to one edge signal.",
      ['client', 'server', 'signal']
    ),
    edgeState: computed('seismo_edge_detector_state', "1 for the edge's current detector and state.", [
      'client',
      'server',
      'detector',
      'state',
    ]),
    edgeAnomalousIntervals: computed(
      'seismo_edge_anomalous_intervals_total',
      'Evaluation intervals in which the edge was anomalous.',
      ['client', 'server'],
      'counter'
    ),
    edgeSources: computed(
      'seismo_edge_sources',
      'Telemetry sources that reported the edge, with their cross-check result.',
      ['client', 'server', 'agreement']
    ),
    edgeDisagreement: computed(
      'seismo_edge_rate_disagreement_ratio',
      'Largest relative request-rate difference between sources for the edge.',
      ['client', 'server']
    ),
    trust: computed('seismo_detector_trust', "Trust in [0, 1] of the detector behind the entity's verdict.", [
      'scope',
      'entity',
    ]),
    // Forecasts
    forecastActual: forecast('seismo_forecast_actual', 'The observed value the forecaster judged last.'),
    forecastYhat: forecast('seismo_forecast_yhat', 'The forecast for that time.'),
    forecastLower: forecast('seismo_forecast_lower', 'Lower end of the prediction interval (or robust band).'),
    forecastUpper: forecast('seismo_forecast_upper', 'Upper end of the prediction interval (or robust band).'),
    forecastAnomalous: forecast('seismo_forecast_anomalous', '1 when the actual left the interval.'),
    forecastAnomalies: new Counter({
      name: 'seismo_forecast_anomalies_total',
      help: 'Evaluations whose actual left the interval.',
      labelNames: FORECAST_LABELS,
      registers,
    }),
    forecastMae: forecast('seismo_forecast_mae', 'Rolling mean absolute error (base unit).'),
    forecastMape: forecast('seismo_forecast_mape', 'Rolling mean absolute percentage error as a ratio.'),
    forecastMase: forecast('seismo_forecast_mase', 'Rolling mean absolute scaled error.'),
    forecastCoverage: forecast('seismo_forecast_interval_coverage', 'Rolling share of actuals inside the interval.'),
    forecastTrust: forecast('seismo_forecast_trust', 'Trust in the forecaster in [0, 1].'),
    forecastState: gauge('seismo_forecast_state', 'Always 1: the forecaster state and the model in use.', [
      ...FORECAST_LABELS,
      'state',
      'model',
    ]),
    // Incidents
    accumulator: computed('seismo_incident_accumulator', "The entity's accumulator.", ['scope', 'entity']),
    entityThreshold: computed('seismo_incident_entity_threshold', "The entity's own threshold.", ['scope', 'entity']),
    temperature: gauge('seismo_incident_temperature', 'Sum of all accumulators.'),
    openThreshold: gauge('seismo_incident_open_threshold', 'Temperature at or above which an incident opens.'),
    closeThreshold: gauge('seismo_incident_close_threshold', 'Temperature at or below which an open incident closes.'),
    severity: gauge('seismo_incident_severity', '0 no open incident, 1 SEV2, 2 SEV1.'),
    affected: gauge('seismo_incident_affected_entities', 'Entities at or over their own threshold.'),
    incidentOpen: gauge('seismo_incident_open', '1 while the incident is open.', ['incident_id', 'severity']),
    incidentOpenedAt: gauge('seismo_incident_opened_timestamp_seconds', 'Unix time the open incident opened.', [
      'incident_id',
    ]),
    lastEvaluation: gauge(
      'seismo_incident_last_evaluation_timestamp_seconds',
      'Unix time of the interval the engine evaluated last.'
    ),
    incidentsOpened: counter('seismo_incidents_opened_total', 'Incidents opened, by severity at opening.', [
      'severity',
    ]),
    incidentsEscalated: counter('seismo_incidents_escalated_total', 'SEV2 incidents that escalated to SEV1.'),
    incidentsClosed: counter('seismo_incidents_closed_total', 'Incidents closed, by highest severity reached.', [
      'severity',
    ]),
    // Root cause
    rootCauseRank: gauge(
      'seismo_rootcause_rank',
      'Rank of the service as the probable root cause of the open incident (top 5).',
      ['incident_id', 'service']
    ),
    rootCauseScore: gauge('seismo_rootcause_score', 'Root-cause score in units of the edge of normal behaviour.', [
      'incident_id',
      'service',
    ]),
    // Models
    modelInfo: gauge('seismo_model_info', 'Always 1 per loaded model.', ['model_id', 'kind', 'entity', 'data_source']),
    modelLoads: counter('seismo_model_loads_total', 'Model load attempts by result.', ['result']),
    modelLastLoadSuccess: gauge('seismo_model_last_load_success', '1 when the last model load attempt succeeded.'),
    // The loop's health
    cycleSkipped: counter(
      'seismo_cycle_skipped_total',
      'Cycle start times skipped because the previous cycle was still running.'
    ),
    phaseDuration: gauge('seismo_cycle_phase_duration_seconds', 'Duration of each phase of the last cycle.', ['phase']),
    queriesPerCycle: gauge('seismo_prometheus_queries_per_cycle', 'PromQL queries the last cycle sent.'),
    prometheusUp: gauge(
      'seismo_prometheus_up',
      "1 when the last cycle's queries reached Prometheus, 0 when it was unreachable."
    ),
    refits: counter('seismo_forecast_refits_total', 'Forecaster refits by result.', ['result']),
    refitBudgetExhausted: counter(
      'seismo_forecast_refit_budget_exhausted_total',
      'Cycles whose refit budget ran out with targets still due.'
    ),
    servicesMonitored: gauge('seismo_services_monitored', 'Services this replica monitors.'),
    edgesMonitored: gauge('seismo_edges_monitored', 'Call edges this replica monitors.'),
    servicesDiscovered: gauge(
      'seismo_services_discovered',
      'Services seen in telemetry before selection and sharding.'
    ),
    shardInfo: gauge('seismo_shard_info', 'Always 1: the hash shard of the services this replica owns.', [
      'index',
      'count',
    ]),
    restoreInfo: gauge('seismo_state_restore_info', 'Always 1: where incident state came from at start.', ['source']),
    feedback: counter('seismo_feedback_total', 'Feedback received, by kind.', ['kind']),
  };
}

export type DetectionMetrics = ReturnType<typeof createDetectionMetrics>;

/** Phases of a cycle, in order; each is timed. */
export const CYCLE_PHASES = ['fetch', 'detect', 'forecast', 'incidents', 'rootcause', 'publish'] as const;
export type CyclePhase = (typeof CYCLE_PHASES)[number];
