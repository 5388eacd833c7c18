import type { UnivariateConfig } from './types.js';
import { UnivariateConfigError } from './UnivariateConfigError.js';

/**
 * Defaults, in points of the series' step. Where they come from is in README.md; in short:
 * textbook values for the statistics, and for the few that trade sensitivity against noise
 * (window, alert threshold) the choice made on a tuning subset of NAB's categories and
 * checked on the others.
 */
export const DEFAULT_UNIVARIATE_CONFIG: Readonly<UnivariateConfig> = Object.freeze({
  window: 576,
  warmup: 48,
  levelWindow: 6,
  spreadWindow: 24,
  seasonalPeriods: [],
  seasonalCycles: 3,
  phaseTolerance: 1,
  seasonalGain: 0.8,
  maxHistory: 12096,
  calibrationWindow: 1440,
  calibrationWarmup: 100,
  calibrationQuantile: 0.99,
  alertThreshold: 0.999,
  releaseThreshold: 0.99,
  clearAfter: 48,
  adaptAfter: 48,
  relativeFloor: 0.001,
  absoluteFloor: 1e-9,
});

export type UnivariateConfigInput = Partial<UnivariateConfig>;

function integer(field: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new UnivariateConfigError(field, `must be an integer ≥ ${min} (got ${String(v)})`);
  }
  return v;
}

function fraction(field: string, v: unknown, inclusiveLow = false): number {
  if (typeof v !== 'number' || !(inclusiveLow ? v >= 0 : v > 0) || !(v < 1)) {
    throw new UnivariateConfigError(field, `must be a number in ${inclusiveLow ? '[0' : '(0'}, 1) (got ${String(v)})`);
  }
  return v;
}

/** Fills defaults and rejects values the detector cannot run with. */
export function resolveUnivariateConfig(input: UnivariateConfigInput = {}): UnivariateConfig {
  const c = { ...DEFAULT_UNIVARIATE_CONFIG, ...input };
  const config: UnivariateConfig = {
    window: integer('window', c.window, 8),
    warmup: integer('warmup', c.warmup, 4),
    levelWindow: integer('levelWindow', c.levelWindow, 2),
    spreadWindow: integer('spreadWindow', c.spreadWindow, 4),
    seasonalPeriods: [],
    seasonalCycles: integer('seasonalCycles', c.seasonalCycles, 1),
    phaseTolerance: integer('phaseTolerance', c.phaseTolerance, 0),
    seasonalGain: fraction('seasonalGain', c.seasonalGain),
    maxHistory: integer('maxHistory', c.maxHistory, 1),
    calibrationWindow: integer('calibrationWindow', c.calibrationWindow, 10),
    calibrationWarmup: integer('calibrationWarmup', c.calibrationWarmup, 1),
    calibrationQuantile: fraction('calibrationQuantile', c.calibrationQuantile),
    alertThreshold: fraction('alertThreshold', c.alertThreshold),
    releaseThreshold: fraction('releaseThreshold', c.releaseThreshold),
    clearAfter: integer('clearAfter', c.clearAfter, 1),
    adaptAfter: integer('adaptAfter', c.adaptAfter, 0),
    relativeFloor: fraction('relativeFloor', c.relativeFloor, true),
    absoluteFloor: 0,
  };
  if (typeof c.absoluteFloor !== 'number' || !(c.absoluteFloor > 0) || !Number.isFinite(c.absoluteFloor)) {
    throw new UnivariateConfigError('absoluteFloor', `must be a finite number > 0 (got ${String(c.absoluteFloor)})`);
  }
  config.absoluteFloor = c.absoluteFloor;
  if (!Array.isArray(c.seasonalPeriods)) {
    throw new UnivariateConfigError('seasonalPeriods', 'must be an array of periods in points');
  }
  const periods = c.seasonalPeriods.map((p, i) => integer(`seasonalPeriods[${i}]`, p, 2));
  // A period needs one full cycle (plus the phase tolerance) of history; longer ones are dropped
  // rather than rejected so a fine step simply loses its weekly reference.
  config.seasonalPeriods = [...new Set(periods)]
    .filter((p) => p + config.phaseTolerance < config.maxHistory)
    .sort((a, b) => a - b);
  if (config.warmup > config.window) {
    throw new UnivariateConfigError('warmup', `must not exceed window (${config.window})`);
  }
  if (config.levelWindow > config.window || config.spreadWindow > config.window) {
    throw new UnivariateConfigError('levelWindow', 'level and spread windows must not exceed window');
  }
  if (config.calibrationWarmup > config.calibrationWindow) {
    throw new UnivariateConfigError(
      'calibrationWarmup',
      `must not exceed calibrationWindow (${config.calibrationWindow})`
    );
  }
  if (config.adaptAfter !== 0 && config.adaptAfter < config.warmup) {
    // The re-learned band holds adaptAfter points; fewer than warmup would send the detector
    // back into warm-up in the middle of an incident.
    throw new UnivariateConfigError('adaptAfter', `must be 0 (off) or ≥ warmup (${config.warmup})`);
  }
  if (config.releaseThreshold > config.alertThreshold) {
    throw new UnivariateConfigError('releaseThreshold', `must not exceed alertThreshold (${config.alertThreshold})`);
  }
  return config;
}
