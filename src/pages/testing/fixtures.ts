import type {
  EdgeStatus,
  ForecastTarget,
  IncidentDetail,
  IncidentSummary,
  ModelInfo,
  ModelManifest,
  Selection,
  ServiceStatus,
  SidecarStatus,
} from '../api/sidecarTypes';

/** Sidecar answers for Online Boutique with the payment service down, as the API documents them. */
export const NOW_SECONDS = 1_700_001_000;

export const status: SidecarStatus = {
  version: '1.0.0',
  shard: { index: 0, count: 1 },
  lastCycle: { at: NOW_SECONDS - 10, durationSeconds: 1.8, prometheusUp: true, error: null },
  cycles: 240,
  services: { ok: 3, warmup: 1, stale: 1 },
  stateRestoredFrom: 'prometheus',
  notes: [],
};

export const services: ServiceStatus[] = [
  {
    service: 'paymentservice',
    namespace: 'boutique',
    team: 'payments',
    state: 'ok',
    detector: 'autoencoder',
    score: 0.99,
    threshold: 0.95,
    anomalous: true,
    trust: 0.9,
    topContributions: [
      { signal: 'latency_p95', share: 0.62 },
      { signal: 'error_ratio', share: 0.2 },
    ],
  },
  {
    service: 'checkoutservice',
    namespace: 'boutique',
    team: 'orders',
    state: 'ok',
    detector: 'autoencoder',
    score: 0.97,
    threshold: 0.95,
    anomalous: true,
    trust: 0.85,
  },
  {
    service: 'frontend',
    namespace: 'boutique',
    team: 'web',
    state: 'ok',
    detector: 'autoencoder',
    score: 0.4,
    threshold: 0.95,
    anomalous: false,
    trust: 0.8,
  },
  { service: 'adservice', namespace: 'boutique', team: 'ads', state: 'warmup', reasons: ['12 of 60 steps collected'] },
  { service: 'redis-cart', namespace: 'boutique', team: 'cart', state: 'stale', reasons: ['no data for 5 min'] },
];

export const edges: EdgeStatus[] = [
  { client: 'checkoutservice', server: 'paymentservice', state: 'ok', score: 0.98, anomalous: true },
  { client: 'frontend', server: 'checkoutservice', state: 'ok', score: 0.7, anomalous: false },
  { client: 'frontend', server: 'adservice', state: 'warmup' },
];

export const openIncident: IncidentSummary = {
  id: 'inc-1700000450',
  state: 'open',
  openedAt: 1_700_000_450,
  closedAt: null,
  openedSeverity: 'SEV2',
  severity: 'SEV1',
  peakTemperature: 23.5,
  affectedEntities: ['paymentservice', 'checkoutservice->paymentservice'],
  rootCause: 'paymentservice',
  summary: 'SEV1: paymentservice and checkoutservice->paymentservice over their thresholds',
  feedback: [],
};

export const closedIncident: IncidentSummary = {
  id: 'inc-1699990000',
  state: 'closed',
  openedAt: 1_699_990_000,
  closedAt: 1_699_990_600,
  openedSeverity: 'SEV2',
  severity: 'SEV2',
  peakTemperature: 11,
  affectedEntities: ['currencyservice'],
  rootCause: 'currencyservice',
  summary: 'SEV2: currencyservice over its threshold',
};

export const incidentDetail: IncidentDetail = {
  ...openIncident,
  rule: 'temperature 12.0 >= open threshold 10 with 2 affected entities (>= 2): SEV1',
  timeline: [
    {
      at: 1_700_000_450,
      temperature: 10,
      severity: 'SEV2',
      accumulators: { paymentservice: 6, 'checkoutservice->paymentservice': 4 },
    },
    {
      at: 1_700_000_465,
      temperature: 12,
      severity: 'SEV1',
      accumulators: { paymentservice: 7, 'checkoutservice->paymentservice': 5 },
    },
  ],
  rootCause: {
    incidentId: 'inc-1700000450',
    alertTime: 1_700_000_450,
    candidates: [
      {
        service: 'checkoutservice',
        rank: 2,
        score: 1.4,
        channel: 'symptom',
        onset: 1_700_000_420,
        explainedBy: { service: 'paymentservice', confidence: 0.8 },
        summary: 'checkoutservice is slow because paymentservice is',
      },
      {
        service: 'paymentservice',
        rank: 1,
        score: 4.2,
        channel: 'silence',
        onset: 1_700_000_400,
        explainedBy: null,
        summary: 'paymentservice stopped answering first; its callers followed',
      },
    ],
    notes: ['edge series for redis-cart missing'],
  },
};

export const selection: Selection = {
  overrides: { include: [], exclude: ['loadgenerator'] },
  services: [
    {
      service: 'paymentservice',
      namespace: 'boutique',
      monitored: true,
      reason: 'include rule 1 (namespace boutique)',
    },
    { service: 'frontend', namespace: 'boutique', monitored: true, reason: 'include rule 1 (namespace boutique)' },
    { service: 'loadgenerator', namespace: 'boutique', monitored: false, reason: 'excluded through the API' },
    { service: 'coredns', namespace: 'kube-system', monitored: false, reason: 'exclude rule 1 (namespace kube-.*)' },
  ],
};

export const models: ModelInfo[] = [
  {
    modelId: 'seismo-default-synthetic-v1',
    kind: 'conv1d_autoencoder',
    entity: null,
    signals: ['request_rate', 'error_ratio', 'latency_p95'],
    windowLength: 60,
    stepSeconds: 60,
    threshold: 1.78,
    thresholdScore: 1,
    dataSource: 'synthetic',
    trainedAt: '2026-11-22T15:03:15Z',
    onnxSha256: '6013df1f',
    servicesScored: 11,
  },
];

export const manifest: ModelManifest = {
  model_id: 'seismo-default-synthetic-v1',
  kind: 'conv1d_autoencoder',
  window: { length: 60, step_seconds: 60 },
  signals: [{ name: 'request_rate' }, { name: 'error_ratio' }],
  normalisation: { method: 'robust_median_mad' },
  error: { reduction: 'mean_absolute_scaled_residual' },
  calibration: {
    source: 'calibration windows at the end of the training period',
    windows: 1770,
    levels: [0, 0.5, 1],
    quantiles: [0.1, 0.5, 1.5],
    threshold: 1.782178919224355,
    threshold_score: 1,
    threshold_rule: { quantile: 0.995, margin: 1, formula: 'Q(quantile) + margin * (Q(quantile) - Q(0.5))' },
  },
  training: {
    data_source: { type: 'synthetic', note: 'synthetic service-mesh telemetry' },
    entities: ['synthetic-01', 'synthetic-02'],
    time_range: { start: '2023-11-14T22:13:20Z', end: '2023-11-17T22:12:20Z' },
    windows: { fit: 8898, validation: 1770, calibration: 1770 },
    epochs: { max: 20, run: 20, best: 20 },
    git_commit: '87490b93bea1a89e44aaada33de73b496589c0c7',
    versions: { python: '3.11.2', torch: '1.13.0' },
    created: '2026-11-22T15:03:15Z',
    base_model: null,
  },
  onnx: { sha256: '6013df1faae1ab7961f1d71ae1f1c7fdbc86baf8cfcd98d1814085fd68137dce' },
};

export const forecastTargets: ForecastTarget[] = [
  {
    scope: 'service',
    service: 'frontend',
    signal: 'latency_p95',
    unit: 's',
    state: 'ok',
    model: 'mstl',
    mae: 0.004,
    mape: 0.05,
    mase: 0.6,
    coverage: 0.94,
    trust: 0.9,
  },
  {
    scope: 'edge',
    client: 'frontend',
    server: 'checkoutservice',
    signal: 'request_rate',
    unit: 'reqps',
    state: 'fallback',
    model: 'band',
    mae: 1.2,
    mape: 0.2,
    mase: 1.3,
    coverage: 0.62,
    trust: 0.3,
  },
  { scope: 'service', service: 'adservice', signal: 'latency_p95', state: 'warmup', model: null },
];
