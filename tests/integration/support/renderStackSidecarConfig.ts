import { parseDocument } from 'yaml';

import { renderSidecarConfig, type SidecarRunSettings } from '../../../demo/src/scenarios/renderSidecarConfig.js';

/**
 * Timings that get every detector of the demo mesh scoring within about a minute of start and an
 * incident opened within about a minute of a fault: 2-s steps and 6-s cycles, short univariate
 * warm-ups, low incident thresholds and a short root-cause baseline. Everything else (presets,
 * external clients, forecast targets, chain awareness) stays as the demo ships it.
 */
const FAST_TIMINGS: ReadonlyArray<readonly [path: readonly string[], value: unknown]> = [
  [['detection', 'intervalSeconds'], 6],
  [['detection', 'stepSeconds'], 2],
  [['detection', 'windowSteps'], 15],
  [['detection', 'rateWindowSeconds'], 10],
  [['detection', 'warmupHistorySeconds'], 120],
  [['detection', 'staleAfterSteps'], 4],
  [['detection', 'univariate', 'window'], 60],
  [['detection', 'univariate', 'warmup'], 10],
  [['detection', 'univariate', 'levelWindow'], 3],
  [['detection', 'univariate', 'spreadWindow'], 8],
  [['detection', 'univariate', 'calibrationWindow'], 150],
  [['detection', 'univariate', 'calibrationWarmup'], 20],
  [['detection', 'univariate', 'clearAfter'], 5],
  [['detection', 'univariate', 'adaptAfter'], 60],
  [['forecast', 'forecaster', 'minHistoryPoints'], 20],
  [['incidents', 'entityThreshold'], 3],
  [['incidents', 'openThreshold'], 5],
  [['incidents', 'closeThreshold'], 2],
  [['incidents', 'cap'], 10],
  [['rootCause', 'baselineSeconds'], 60],
  [['rootCause', 'levelFromSeconds'], 30],
  [['rootCause', 'levelToSeconds'], 4],
  [['rootCause', 'lookbackSeconds'], 30],
  [['log', 'level'], 'warn'],
];

/**
 * The demo's sidecar config for one run of the datasource stack: addresses and directories filled
 * in by the scenario runner's renderer, then FAST_TIMINGS. The shipped model's step does not fit
 * 2-s steps, so every service is scored by the univariate detectors.
 */
export function renderStackSidecarConfig(settings: SidecarRunSettings): string {
  const doc = parseDocument(renderSidecarConfig(settings));
  for (const [path, value] of FAST_TIMINGS) {
    doc.setIn(path, value);
  }
  return doc.toString();
}
