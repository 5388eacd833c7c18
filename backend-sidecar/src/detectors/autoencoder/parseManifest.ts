import {
  DEFAULT_BASELINE_KEY,
  parseBaselines,
  requireSignal,
  SignalInputError,
  type BaselineSet,
  type BaselineStats,
  type SignalScope,
} from '../../signals/index.js';
import { ManifestError } from './ManifestError.js';
import { readManifestSchema } from './readManifestSchema.js';
import type { ErrorReduction, ModelManifest } from './types.js';
import { validateJsonSchema } from './validateJsonSchema.js';

export interface ParseManifestOptions {
  /**
   * Scope whose canonical signal names the manifest must use ('service' for the sidecar).
   * null accepts any names, for labelled benchmark data whose columns are not canonical signals.
   */
  scope: SignalScope | null;
  /** The schema document; read from `models/manifest.schema.json` when not given. */
  schema?: Readonly<Record<string, unknown>>;
}

type Json = Record<string, unknown>;

function fail(problems: string[]): never {
  const [first = '(root): invalid'] = problems;
  const cut = first.indexOf(': ');
  const field = cut > 0 ? first.slice(0, cut) : '(root)';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1, 4).join('; ')})` : '';
  throw new ManifestError(field, `${first.slice(cut + 2)}${more}`);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

function increasing(values: readonly number[]): boolean {
  return values.every((v, i) => i === 0 || v > (values[i - 1] as number));
}

/** Rules the JSON Schema cannot express; the training pipeline checks the same ones. */
function semanticProblems(m: Json): string[] {
  const problems: string[] = [];
  const signals = (m.signals as Json[]).map((s) => String(s.name));
  const window = (m.window as Json).length as number;
  const expectedShape = JSON.stringify([-1, signals.length, window]);
  const repeated = signals.filter((s, i) => signals.indexOf(s) !== i);
  if (repeated.length > 0) {
    problems.push(`signals: names repeat (${[...new Set(repeated)].join(', ')})`);
  }
  for (const side of ['input', 'output'] as const) {
    const shape = JSON.stringify((m[side] as Json).shape);
    if (shape !== expectedShape) {
      problems.push(`${side}.shape: ${shape} does not match [-1, signals, window.length] = ${expectedShape}`);
    }
  }
  const arch = m.architecture as Json;
  if (arch.kind !== m.kind) {
    problems.push(`architecture.kind: "${String(arch.kind)}" differs from kind "${String(m.kind)}"`);
  }
  if (arch.signals !== signals.length) {
    problems.push(`architecture.signals: ${String(arch.signals)} differs from the ${signals.length} listed signals`);
  }
  if (arch.window !== window) {
    problems.push(`architecture.window: ${String(arch.window)} differs from window.length ${window}`);
  }
  const norm = m.normalisation as Json;
  const perEntity = norm.per_entity as Record<string, Json>;
  const blocks: Array<[string, Json]> = [
    ['normalisation.default', norm.default as Json],
    ...Object.entries(perEntity).map(([e, b]): [string, Json] => [`normalisation.per_entity.${e}`, b]),
  ];
  for (const [path, block] of blocks) {
    if (!sameSet(Object.keys(block), signals)) {
      const missing = signals.filter((s) => !(s in block));
      const extra = Object.keys(block).filter((s) => !signals.includes(s));
      problems.push(
        `${path}: statistics must cover exactly the signals (missing [${missing.join(', ')}], extra [${extra.join(', ')}])`
      );
    }
  }
  if (DEFAULT_BASELINE_KEY in perEntity) {
    problems.push(`normalisation.per_entity.${DEFAULT_BASELINE_KEY}: the name is reserved for the fallback statistics`);
  }
  const unknownFloors = Object.keys(norm.signal_floors as Json).filter((s) => !signals.includes(s));
  if (unknownFloors.length > 0) {
    problems.push(`normalisation.signal_floors: names unknown signals [${unknownFloors.join(', ')}]`);
  }
  if (typeof m.entity === 'string' && !(m.entity in perEntity)) {
    problems.push(`entity: "${m.entity}" has no normalisation.per_entity entry`);
  }
  const cal = m.calibration as Json;
  const levels = cal.levels as number[];
  const quantiles = cal.quantiles as number[];
  if (levels.length !== quantiles.length) {
    problems.push(`calibration.quantiles: ${quantiles.length} values for ${levels.length} levels`);
  }
  if (levels[0] !== 0 || levels[levels.length - 1] !== 1) {
    problems.push('calibration.levels: must run from 0 to 1');
  }
  if (!increasing(levels)) {
    problems.push('calibration.levels: must be strictly increasing');
  }
  if (!increasing(quantiles)) {
    problems.push('calibration.quantiles: must be strictly increasing');
  }
  const base = (m.training as Json).base_model;
  if ((base === null) !== (m.entity === null)) {
    problems.push(
      'training.base_model: a fine-tuned model needs both entity and training.base_model, a shared one neither'
    );
  }
  const error = m.error as Json;
  if (error.reduction === 'mean_absolute_scaled_residual') {
    if (error.steps === undefined) {
      problems.push('error.steps: is required for mean_absolute_scaled_residual');
    } else if ((error.steps as number) > window) {
      problems.push(`error.steps: ${String(error.steps)} exceeds window.length ${window}`);
    }
    const scale = error.residual_scale as Json | undefined;
    if (scale === undefined) {
      problems.push('error.residual_scale: is required for mean_absolute_scaled_residual');
    } else if (!sameSet(Object.keys(scale), signals)) {
      problems.push('error.residual_scale: must have one entry per signal');
    }
  } else {
    for (const key of ['steps', 'residual_scale']) {
      if (key in error) {
        problems.push(`error.${key}: only applies to mean_absolute_scaled_residual`);
      }
    }
  }
  return problems;
}

function toStats(block: Json, signals: readonly string[]): Record<string, BaselineStats> {
  const out: Record<string, BaselineStats> = {};
  for (const s of signals) {
    const { center, scale } = block[s] as { center: number; scale: number };
    out[s] = { center, scale };
  }
  return out;
}

function buildBaselines(norm: Json, signals: readonly string[], scope: SignalScope | null): BaselineSet {
  if (scope !== null) {
    try {
      // The signals module owns what a valid canonical baseline is; reuse its parser.
      return parseBaselines(norm, scope, 'normalisation');
    } catch (error) {
      if (error instanceof SignalInputError) {
        throw new ManifestError(error.field, error.message.slice(error.field.length + 2));
      }
      throw error;
    }
  }
  const out = { [DEFAULT_BASELINE_KEY]: toStats(norm.default as Json, signals) } as BaselineSet;
  for (const [entity, block] of Object.entries(norm.per_entity as Record<string, Json>)) {
    out[entity] = toStats(block, signals);
  }
  return out;
}

/**
 * Validates an untrusted manifest (schema rules, then the cross-field rules the schema cannot
 * express) and returns what the detector needs. Every error names the offending field.
 */
export function parseManifest(json: unknown, options: ParseManifestOptions): ModelManifest {
  const schema = options.schema ?? readManifestSchema();
  const structural = validateJsonSchema(schema, json);
  if (structural.length > 0) {
    fail(structural);
  }
  const m = json as Json;
  const semantic = semanticProblems(m);
  if (semantic.length > 0) {
    fail(semantic);
  }

  const signals = (m.signals as Json[]).map((s) => String(s.name));
  if (options.scope !== null) {
    signals.forEach((name, i) => {
      try {
        requireSignal(options.scope as SignalScope, name, `signals[${i}].name`);
      } catch (error) {
        if (error instanceof SignalInputError) {
          throw new ManifestError(error.field, error.message.slice(error.field.length + 2));
        }
        throw error;
      }
    });
  }
  const window = m.window as Json;
  const norm = m.normalisation as Json;
  const error = m.error as Json;
  const cal = m.calibration as Json;
  const onnx = m.onnx as Json;
  const base = (m.training as Json).base_model as Json | null;
  const reduction = error.reduction as ErrorReduction;
  const scale = error.residual_scale as Record<string, number> | undefined;
  return {
    modelId: String(m.model_id),
    kind: String(m.kind),
    entity: (m.entity as string | null) ?? null,
    baseModel: base === null ? null : { modelId: String(base.model_id), onnxSha256: String(base.onnx_sha256) },
    onnx: { file: String(onnx.file), sha256: String(onnx.sha256), sizeBytes: onnx.size_bytes as number },
    inputName: String((m.input as Json).name),
    outputName: String((m.output as Json).name),
    signals,
    windowLength: window.length as number,
    stepSeconds: window.step_seconds as number,
    maxGapSteps: (m.missing_data as Json).max_gap_steps as number,
    clip: (norm.clip as number | null) ?? null,
    baselines: buildBaselines(norm, signals, options.scope),
    error: {
      reduction,
      steps: reduction === 'mean_absolute_scaled_residual' ? (error.steps as number) : (window.length as number),
      residualScale: scale === undefined ? null : Float64Array.from(signals, (s) => scale[s] as number),
    },
    calibration: {
      levels: Float64Array.from(cal.levels as number[]),
      quantiles: Float64Array.from(cal.quantiles as number[]),
      threshold: cal.threshold as number,
      thresholdScore: cal.threshold_score as number,
    },
    dataSource: String(((m.training as Json).data_source as Json).type),
    raw: m,
  };
}
