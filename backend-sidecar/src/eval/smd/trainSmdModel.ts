import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The training pipeline's documented interpreter (Debian's, which has torch and onnx). */
export const DEFAULT_PYTHON = '/usr/bin/python3';

const TRAINING_DIR = fileURLToPath(new URL('../../../training/', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../../../models/manifest.schema.json', import.meta.url));

export interface TrainSmdModelOptions {
  machine: string;
  trainFile: string;
  /** Training arguments after `train --data ... --out ...`. */
  args: readonly string[];
  python?: string;
  /** Root of the model cache; default a folder under the OS temp dir. */
  cacheRoot?: string;
  log: (line: string) => void;
}

async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

async function pythonSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '__pycache__') {
      out.push(...(await pythonSources(path)));
    } else if (entry.isFile() && entry.name.endsWith('.py')) {
      out.push(path);
    }
  }
  return out.sort();
}

/**
 * Version of everything that decides the trained model: the pipeline's source, the manifest
 * schema and the arguments. Any edit retrains; an unchanged rerun reuses the cached model.
 */
async function codeVersion(args: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of await pythonSources(join(TRAINING_DIR, 'seismo_training'))) {
    hash
      .update(relative(TRAINING_DIR, path))
      .update('\0')
      .update(await readFile(path))
      .update('\0');
  }
  hash.update(await readFile(SCHEMA)).update(JSON.stringify(args));
  return hash.digest('hex');
}

function run(python: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, {
      cwd: TRAINING_DIR,
      // One thread for every numeric library: the host's cores are shared.
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
      // Its summary line names the scratch folder; the caller reports from the manifest instead.
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => reject(new Error(`cannot start ${python}: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) {
        resolve();
      } else {
        reject(new Error(`training exited with code ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
      }
    });
  });
}

/**
 * Trains one machine's model with the training pipeline's CLI on its `_train` file only, into a
 * cache keyed by the data's sha256 and the code version, and returns the model directory.
 * Training writes to a scratch folder renamed into place at the end, so an interrupted run
 * never leaves a half-written model that a rerun would trust.
 */
export async function trainSmdModel(options: TrainSmdModelOptions): Promise<string> {
  const root = options.cacheRoot ?? join(tmpdir(), 'seismo-smd-models');
  const trainArgs = [...options.args, '--model-id', `smd-${options.machine}`];
  const key = createHash('sha256')
    .update(await sha256File(options.trainFile))
    .update(await codeVersion(trainArgs))
    .digest('hex')
    .slice(0, 20);
  const dir = join(root, `${options.machine}-${key}`);
  if (existsSync(join(dir, 'manifest.json'))) {
    options.log(`  model: cached ${dir}`);
    return dir;
  }
  await mkdir(root, { recursive: true });
  const scratch = `${dir}.partial-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  const python = options.python ?? process.env.SEISMO_PYTHON ?? DEFAULT_PYTHON;
  const args = [
    '-m',
    'seismo_training',
    'train',
    '--data',
    `${options.machine}=${options.trainFile}`,
    ...trainArgs,
    '--out',
    scratch,
  ];
  const began = Date.now();
  try {
    await run(python, args);
    await rename(scratch, dir);
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
  options.log(`  model: trained in ${((Date.now() - began) / 1000).toFixed(1)} s → ${dir}`);
  return dir;
}
