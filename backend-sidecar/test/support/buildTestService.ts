import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Registry } from 'prom-client';

import type { Preset } from '../../src/adapters/types.js';
import { ConfigStore } from '../../src/config/ConfigStore.js';
import { loadConfigText } from '../../src/config/loadConfigText.js';
import type { CycleResult } from '../../src/detection/CycleResult.js';
import { DetectionService } from '../../src/detection/DetectionService.js';
import type { Augurs } from '../../src/forecast/loadAugurs.js';
import { ReadinessTracker } from '../../src/lifecycle/ReadinessTracker.js';
import { createSidecarMetrics } from '../../src/metrics/createSidecarMetrics.js';
import { HealthReporter } from '../../src/metrics/HealthReporter.js';
import type { SidecarMetrics } from '../../src/metrics/SidecarMetrics.js';
import type { PrometheusApi } from '../../src/prometheus/types.js';
import type { ManualClock } from './ManualClock.js';
import { testPreset } from './testPreset.js';

/**
 * The fast settings the loop tests run with: 5-second steps and cycles, a one-minute window, and
 * univariate detectors that warm up within minutes of history instead of hours.
 */
export const FAST_DETECTION = `detection:
  intervalSeconds: 5
  stepSeconds: 5
  windowSteps: 12
  rateWindowSeconds: 10
  warmupHistorySeconds: 1800
  staleAfterSteps: 3
  externalClients: [loadgen]
  univariate:
    seasonal: false
    window: 120
    warmup: 20
    levelWindow: 4
    spreadWindow: 12
    calibrationWindow: 300
    calibrationWarmup: 40
    clearAfter: 6
    adaptAfter: 60
`;

export const FAST_INCIDENTS = `incidents:
  entityThreshold: 3
  openThreshold: 5
  closeThreshold: 2
  cap: 8
`;

export interface TestServiceOptions {
  readonly prometheus: PrometheusApi;
  readonly clock: ManualClock;
  /** Extra YAML appended to the base config (sections must not repeat the base's). */
  readonly yaml?: string;
  /** A whole config file instead of the base config and `yaml`; its relative paths resolve against `stateDir`. */
  readonly configText?: string;
  readonly stateDir?: string;
  readonly presets?: Preset[];
  readonly augurs?: Augurs | null;
  readonly registry?: Registry;
  /** API bearer token (through the environment, as in production). */
  readonly token?: string;
}

export interface TestService {
  readonly service: DetectionService;
  readonly store: ConfigStore;
  readonly sidecarMetrics: SidecarMetrics;
  readonly readiness: ReadinessTracker;
  readonly stateDir: string;
  readonly logs: Array<{ obj: object; msg: string; level: string }>;
  /** Resolves with the next finished cycle. */
  nextCycle(): Promise<CycleResult>;
}

/** The config the tests load; `telemetry.presets` is replaced by the injected test preset. */
export function testConfigText(stateDir: string, yaml = ''): string {
  return `prometheus:\n  url: http://127.0.0.1:9\ntelemetry:\n  presets: [istio]\nstorage:\n  stateDir: ${stateDir}\n${yaml}`;
}

/** A DetectionService over a fake Prometheus and a manual clock, without the HTTP server. */
export function buildTestService(options: TestServiceOptions): TestService {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'seismo-loop-'));
  const text =
    options.configText ??
    testConfigText(stateDir, options.yaml ?? `${FAST_DETECTION}${FAST_INCIDENTS}forecast:\n  enabled: false\n`);
  const env = options.token === undefined ? {} : { SEISMO_API_TOKEN: options.token };
  const loaded = loadConfigText(text, join(stateDir, 'config.yaml'), { env, clock: options.clock.now });
  const store = new ConfigStore(loaded);
  const registry = options.registry ?? new Registry();
  const sidecarMetrics = createSidecarMetrics({
    registry,
    build: { version: 'test', revision: 'test' },
    processMetrics: false,
  });
  const readiness = new ReadinessTracker({ clock: options.clock.now, prometheusMaxAgeSeconds: () => 30 });
  const health = new HealthReporter({
    metrics: sidecarMetrics,
    readiness,
    intervalSeconds: () => store.current().config.detection.intervalSeconds,
    clock: options.clock.now,
  });
  const logs: TestService['logs'] = [];
  const waiters: Array<{ resolve: (r: CycleResult) => void; reject: (e: Error) => void }> = [];
  const log = (level: string) => (obj: object, msg: string) => {
    logs.push({ obj, msg, level });
    if (msg === 'detection cycle failed') {
      // A cycle that throws never reports a result; fail the waiting test with the reason.
      waiters.splice(0).forEach((w) => w.reject(new Error(`${msg}: ${JSON.stringify(obj)}`)));
    }
  };
  const service = new DetectionService({
    config: store,
    registry,
    health,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    clock: options.clock.now,
    timers: options.clock,
    createPrometheus: () => options.prometheus,
    resolvePresets: () => options.presets ?? [testPreset()],
    loadAugurs:
      options.augurs === undefined || options.augurs === null
        ? () => Promise.reject(new Error('not in this test'))
        : () => Promise.resolve(options.augurs as Augurs),
    onCycle: (r) => waiters.splice(0).forEach((w) => w.resolve(r)),
  });
  return {
    service,
    store,
    sidecarMetrics,
    readiness,
    stateDir,
    logs,
    nextCycle: () => new Promise((resolve, reject) => waiters.push({ resolve, reject })),
  };
}
