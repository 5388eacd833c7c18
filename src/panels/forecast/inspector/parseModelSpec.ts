import type { Baseline, ErrorReduction, ModelSpec } from './types';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function fail(field: string, problem: string): never {
  throw new Error(`model manifest ${field}: ${problem}`);
}

function object(parent: Json, key: string, path: string): Json {
  const value = parent[key];
  if (!isObject(value)) {
    fail(`${path}${key}`, 'must be an object');
  }
  return value;
}

function positiveInteger(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) {
    fail(field, `must be an integer > 0 (got ${String(value)})`);
  }
  return value as number;
}

function numbers(value: unknown, field: string): Float64Array {
  if (!Array.isArray(value) || value.length < 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    fail(field, 'must be a list of at least two finite numbers');
  }
  const out = Float64Array.from(value as number[]);
  for (let i = 1; i < out.length; i++) {
    if (!(out[i]! > out[i - 1]!)) {
      fail(field, 'must be strictly increasing');
    }
  }
  return out;
}

function baselines(block: unknown, signals: string[], field: string): Record<string, Baseline> {
  if (!isObject(block)) {
    fail(field, 'must be an object {signal: {center, scale}}');
  }
  const out: Record<string, Baseline> = {};
  for (const signal of signals) {
    const stats = block[signal];
    if (!isObject(stats) || typeof stats.center !== 'number' || typeof stats.scale !== 'number' || !(stats.scale > 0)) {
      fail(`${field}.${signal}`, 'must be {center: number, scale: number > 0}');
    }
    out[signal] = { center: stats.center, scale: stats.scale };
  }
  return out;
}

/**
 * Reads the parts of a model manifest that scoring depends on, checked as strictly as the
 * sidecar checks them: a manifest the sidecar would refuse must not produce browser scores.
 * Errors name the field.
 */
export function parseModelSpec(json: unknown): ModelSpec {
  if (!isObject(json)) {
    fail('(root)', 'must be a JSON object');
  }
  const modelId = json.model_id;
  if (typeof modelId !== 'string' || modelId === '') {
    fail('model_id', 'must be a non-empty string');
  }
  if (!Array.isArray(json.signals) || json.signals.length === 0) {
    fail('signals', 'must list the model input signals');
  }
  const signals = (json.signals as unknown[]).map((s, i) => {
    const name = isObject(s) ? s.name : undefined;
    if (typeof name !== 'string' || name === '') {
      fail(`signals[${i}].name`, 'must be a non-empty string');
    }
    return name;
  });
  const window = object(json, 'window', '');
  const windowLength = positiveInteger(window.length, 'window.length');
  const stepSeconds = window.step_seconds;
  if (typeof stepSeconds !== 'number' || !(stepSeconds > 0)) {
    fail('window.step_seconds', 'must be a number > 0');
  }
  const shape = JSON.stringify([-1, signals.length, windowLength]);
  const ends = ['input', 'output'].map((side) => {
    const tensor = object(json, side, '');
    if (typeof tensor.name !== 'string' || tensor.name === '') {
      fail(`${side}.name`, 'must be a non-empty string');
    }
    if (JSON.stringify(tensor.shape) !== shape) {
      fail(`${side}.shape`, `${JSON.stringify(tensor.shape)} does not match [-1, signals, window.length] = ${shape}`);
    }
    return tensor.name;
  });
  const norm = object(json, 'normalisation', '');
  const clip = norm.clip ?? null;
  if (clip !== null && !(typeof clip === 'number' && clip > 0)) {
    fail('normalisation.clip', 'must be a number > 0 or null');
  }
  const perEntityJson = isObject(norm.per_entity) ? norm.per_entity : {};
  const perEntity: Record<string, Record<string, Baseline>> = {};
  for (const [entity, block] of Object.entries(perEntityJson)) {
    perEntity[entity] = baselines(block, signals, `normalisation.per_entity.${entity}`);
  }
  const error = object(json, 'error', '');
  const reduction = error.reduction as ErrorReduction;
  if (reduction !== 'mean_absolute_scaled_residual' && reduction !== 'mean_squared_error_over_signals_and_steps') {
    fail('error.reduction', `"${String(error.reduction)}" is not a reduction this inspector knows`);
  }
  let steps = windowLength;
  let residualScale: Float64Array | null = null;
  if (reduction === 'mean_absolute_scaled_residual') {
    steps = positiveInteger(error.steps, 'error.steps');
    if (steps > windowLength) {
      fail('error.steps', `${steps} exceeds window.length ${windowLength}`);
    }
    const scale = error.residual_scale;
    if (!isObject(scale)) {
      fail('error.residual_scale', 'is required for mean_absolute_scaled_residual');
    }
    residualScale = Float64Array.from(signals, (s) => {
      const v = scale[s];
      if (typeof v !== 'number' || !(v > 0)) {
        fail(`error.residual_scale.${s}`, 'must be a number > 0');
      }
      return v;
    });
  }
  const cal = object(json, 'calibration', '');
  const levels = numbers(cal.levels, 'calibration.levels');
  const quantiles = numbers(cal.quantiles, 'calibration.quantiles');
  if (levels.length !== quantiles.length) {
    fail('calibration.quantiles', `${quantiles.length} values for ${levels.length} levels`);
  }
  if (typeof cal.threshold !== 'number' || typeof cal.threshold_score !== 'number') {
    fail('calibration.threshold', 'threshold and threshold_score must be numbers');
  }
  const onnx = isObject(json.onnx) ? json.onnx : {};
  return {
    modelId,
    inputName: ends[0] as string,
    outputName: ends[1] as string,
    signals,
    windowLength,
    stepSeconds,
    clip: clip as number | null,
    baselines: { default: baselines(norm.default, signals, 'normalisation.default'), perEntity },
    error: { reduction, steps, residualScale },
    calibration: { levels, quantiles, threshold: cal.threshold, thresholdScore: cal.threshold_score },
    onnxSha256: typeof onnx.sha256 === 'string' ? onnx.sha256 : null,
  };
}
