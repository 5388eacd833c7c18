import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { SignalScope } from '../../signals/index.js';
import { describeMismatch, type DataShape } from './describeMismatch.js';
import type { InferenceBackend, ModelSession } from './InferenceBackend.js';
import { ManifestError } from './ManifestError.js';
import { ModelLoadError } from './ModelLoadError.js';
import { parseManifest } from './parseManifest.js';
import { reconstructionErrors } from './reconstructionErrors.js';
import type { ModelManifest } from './types.js';

export const MANIFEST_FILE = 'manifest.json';

/** A model that passed every check and a test run; safe to put into service. */
export interface LoadedModel {
  readonly directory: string;
  readonly manifest: ModelManifest;
  readonly session: ModelSession;
  readonly backend: string;
}

export interface LoadModelOptions {
  backend: InferenceBackend;
  /** Canonical signal scope the manifest must use; null for non-canonical (benchmark) columns. */
  scope: SignalScope | null;
  /** What the data looks like; a manifest that disagrees is refused before the ONNX file is read. */
  expect?: DataShape;
  /** Further acceptance rules (e.g. "must be a shared model"); each returned sentence refuses the model. */
  accept?: (manifest: ModelManifest) => string[];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readBytes(directory: string, file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(join(directory, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail = code === 'ENOENT' ? 'does not exist' : errorMessage(error);
    throw new ModelLoadError('file', directory, `${what} ${file} ${detail}`, { cause: error });
  }
}

async function readManifest(directory: string, options: LoadModelOptions): Promise<ModelManifest> {
  const text = (await readBytes(directory, MANIFEST_FILE, 'manifest')).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelLoadError('manifest', directory, `${MANIFEST_FILE} is not valid JSON (${errorMessage(error)})`, {
      cause: error,
    });
  }
  try {
    return parseManifest(json, { scope: options.scope });
  } catch (error) {
    if (error instanceof ManifestError) {
      throw new ModelLoadError('manifest', directory, error.message, { cause: error });
    }
    throw error;
  }
}

/**
 * A small deterministic batch covering the value range the model will see (zeros, a ramp up to
 * the clip limit and its negative), so a graph that loads but cannot run on real shapes, or
 * produces NaN, is caught before it replaces a working model.
 */
function probeBatch(manifest: ModelManifest): { data: Float32Array; dims: number[] } {
  const signals = manifest.signals.length;
  const steps = manifest.windowLength;
  const limit = manifest.clip ?? 10;
  const count = 3;
  const data = new Float32Array(count * signals * steps);
  for (let s = 0; s < signals; s++) {
    for (let t = 0; t < steps; t++) {
      const ramp = (limit * ((s + t) % steps)) / Math.max(1, steps - 1);
      data[(signals + s) * steps + t] = ramp;
      data[(2 * signals + s) * steps + t] = -ramp;
    }
  }
  return { data, dims: [count, signals, steps] };
}

async function probe(directory: string, manifest: ModelManifest, session: ModelSession): Promise<void> {
  const { data, dims } = probeBatch(manifest);
  let output;
  try {
    output = await session.run(manifest.inputName, data, dims, manifest.outputName);
  } catch (error) {
    throw new ModelLoadError('probe', directory, `test run on a probe batch failed: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  if (output.dims.join(',') !== dims.join(',') || output.data.length !== data.length) {
    throw new ModelLoadError(
      'probe',
      directory,
      `test run returned shape [${output.dims.join(', ')}], expected [${dims.join(', ')}]`
    );
  }
  const { errors } = reconstructionErrors(
    data,
    output.data,
    dims[0] as number,
    dims[1] as number,
    dims[2] as number,
    manifest.error
  );
  if (!output.data.every(Number.isFinite) || !errors.every(Number.isFinite)) {
    throw new ModelLoadError('probe', directory, 'test run produced NaN or infinite values');
  }
}

/**
 * Loads a model directory (manifest.json + the ONNX file it names) completely before anything
 * uses it: manifest validated, data shape compared, file size and sha256 checked, session
 * created, input/output names checked and a probe batch run. Any failure throws a
 * ModelLoadError and leaves nothing behind, so the caller's current model stays in service.
 */
export async function loadModel(directory: string, options: LoadModelOptions): Promise<LoadedModel> {
  const manifest = await readManifest(directory, options);
  const refusals = [
    ...(options.expect ? describeMismatch(manifest, options.expect) : []),
    ...(options.accept ? options.accept(manifest) : []),
  ];
  if (refusals.length > 0) {
    throw new ModelLoadError('mismatch', directory, `manifest does not fit: ${refusals.join('; ')}`);
  }
  const bytes = await readBytes(directory, manifest.onnx.file, 'ONNX file');
  if (bytes.length !== manifest.onnx.sizeBytes) {
    throw new ModelLoadError(
      'size',
      directory,
      `${manifest.onnx.file} has ${bytes.length} bytes but the manifest says ${manifest.onnx.sizeBytes} (truncated or replaced?)`
    );
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== manifest.onnx.sha256) {
    throw new ModelLoadError(
      'sha256',
      directory,
      `${manifest.onnx.file} has sha256 ${sha256} but the manifest says ${manifest.onnx.sha256} (corrupt or not the file the manifest describes)`
    );
  }
  let session: ModelSession;
  try {
    session = await options.backend.createSession(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (error) {
    throw new ModelLoadError(
      'onnx',
      directory,
      `${options.backend.name} cannot load ${manifest.onnx.file}: ${errorMessage(error)}`,
      {
        cause: error,
      }
    );
  }
  try {
    if (!session.inputNames.includes(manifest.inputName) || !session.outputNames.includes(manifest.outputName)) {
      throw new ModelLoadError(
        'contract',
        directory,
        `graph has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], ` +
          `manifest names input "${manifest.inputName}" and output "${manifest.outputName}"`
      );
    }
    await probe(directory, manifest, session);
  } catch (error) {
    await session.release().catch(() => undefined);
    throw error;
  }
  return { directory, manifest, session, backend: options.backend.name };
}
