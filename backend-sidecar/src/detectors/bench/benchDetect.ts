import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { createNodeBackend, createWebBackend, loadModel, type InferenceBackend } from '../autoencoder/index.js';
import type { BaselineStats } from '../../signals/index.js';
import { learnMeshBaselines, MESH_END } from './learnMeshBaselines.js';
import { measureCycle, type CycleMeasurement } from './measureCycle.js';
import { measureInference, type InferenceRate } from './measureInference.js';

/**
 * Detection performance: inference throughput of onnxruntime-node and onnxruntime-web (WASM)
 * side by side, the full detection cycle for 100 / 1,000 / 10,000 services, and the
 * forecasters' fit time when their benchmark is present. Each cycle size runs in its own
 * process so its peak RSS is its own. Prints a table per part and one JSON object last.
 *
 *   npm run bench:detect            (from backend-sidecar/)
 */
const MODEL_DIR = fileURLToPath(new URL('../../../models/default/', import.meta.url));
const FORECAST_BENCH = fileURLToPath(new URL('../../forecast/bench/measureFitTime.ts', import.meta.url));
const BATCHES = [1, 64, 1024];
const SERVICES = [100, 1_000, 10_000];
const TARGET_MS = 2000;
const SEED = 1;
const now = (): number => performance.now();

async function inferenceRates(backend: InferenceBackend): Promise<InferenceRate[]> {
  const model = await loadModel(MODEL_DIR, { backend, scope: 'service' });
  try {
    const out: InferenceRate[] = [];
    for (const batch of BATCHES) {
      out.push(await measureInference(model, batch, now));
    }
    return out;
  } finally {
    await model.session.release();
  }
}

/** Runs this file with `args` in a fresh process (same loader as this one) and returns its last stdout line. */
function child(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`benchmark step ${args.join(' ')} exited with code ${code}`));
        return;
      }
      resolve(out.trim().split('\n').pop() ?? '');
    });
  });
}

/**
 * One cycle size: baselines are learned in one process and the cycles run in another, so the
 * reported peak RSS is the cycle's (the learned statistics are all it inherits, as a running
 * sidecar keeps them between cycles).
 */
async function cycleSize(services: number, windowStart: number, scratch: string): Promise<CycleMeasurement> {
  const file = join(scratch, `baselines-${services}.json`);
  await child(['--learn', String(services), file, String(windowStart)]);
  return JSON.parse(await child(['--cycle', String(services), file])) as CycleMeasurement;
}

async function forecasterFitTimes(): Promise<Record<string, number> | string> {
  if (!existsSync(FORECAST_BENCH)) {
    return 'not available (src/forecast/bench/measureFitTime.ts absent)';
  }
  try {
    const { measureFitTime } = (await import(pathToFileURL(FORECAST_BENCH).href)) as {
      measureFitTime: (o: unknown) => Array<{ model: string; medianMs: number }>;
    };
    const { loadAugurs } = (await import(
      pathToFileURL(fileURLToPath(new URL('../../forecast/loadAugurs.ts', import.meta.url))).href
    )) as {
      loadAugurs: () => Promise<unknown>;
    };
    const results = measureFitTime({ augurs: await loadAugurs(), clock: { now } });
    return Object.fromEntries(results.map((r) => [r.model, Number(r.medianMs.toFixed(1))]));
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const pad = (text: string | number, width: number): string => String(text).padStart(width);

async function main(): Promise<void> {
  const [, , mode, count, file, start] = process.argv;
  if (mode === '--learn') {
    const learned = learnMeshBaselines(Number(count), Number(start), SEED);
    writeFileSync(file as string, JSON.stringify(Object.fromEntries(learned)));
    console.log('{}');
    return;
  }
  if (mode === '--cycle') {
    const json = JSON.parse(readFileSync(file as string, 'utf8')) as Record<string, Record<string, BaselineStats>>;
    const learned = new Map(Object.entries(json));
    console.log(JSON.stringify(await measureCycle(Number(count), { modelDir: MODEL_DIR, learned, now, seed: SEED })));
    return;
  }
  console.log(
    `host: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}; one inference thread`
  );
  console.log('model: models/default (12 signals × 60 steps, conv autoencoder, trained on synthetic data)\n');

  const { manifest } = await loadModel(MODEL_DIR, { backend: createNodeBackend(), scope: 'service' });
  const windowStart = MESH_END - (manifest.windowLength - 1) * manifest.stepSeconds;
  const node = await inferenceRates(createNodeBackend({ intraOpNumThreads: 1 }));
  const web = await inferenceRates(createWebBackend());
  console.log('inference windows/s     onnxruntime-node   onnxruntime-web (wasm)');
  BATCHES.forEach((batch, i) => {
    console.log(
      `  batch ${pad(batch, 5)}            ${pad(node[i]?.windowsPerSecond.toFixed(0) ?? '', 10)}   ${pad(web[i]?.windowsPerSecond.toFixed(0) ?? '', 14)}`
    );
  });

  const cycles: CycleMeasurement[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'seismo-bench-'));
  try {
    for (const services of SERVICES) {
      cycles.push(await cycleSize(services, windowStart, scratch));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log('\nfull detection cycle (median of 3)   total ms   windows   normalise+score   inference   peak RSS MiB');
  for (const c of cycles) {
    console.log(
      `  ${pad(c.services, 6)} services × ${c.signals} × ${c.steps}   ${pad(c.cycleMs.toFixed(0), 8)}   ${pad(c.windowsMs.toFixed(0), 7)}   ` +
        `${pad(c.normaliseAndScoreMs.toFixed(0), 15)}   ${pad(c.inferenceMs.toFixed(0), 9)}   ${pad(c.peakRssMb.toFixed(0), 12)}` +
        `   (${c.states.ok} ok, ${c.anomalous} flagged)`
    );
  }
  const largest = cycles[cycles.length - 1] as CycleMeasurement;
  const verdict = largest.cycleMs < TARGET_MS ? 'meets' : 'misses';
  console.log(
    `  ${largest.services} services in ${largest.cycleMs.toFixed(0)} ms: ${verdict} the ${TARGET_MS} ms target on one core`
  );

  const fit = await forecasterFitTimes();
  console.log(`\nforecaster fit time per series (ms, median): ${typeof fit === 'string' ? fit : JSON.stringify(fit)}`);

  const round = (v: number): number => Number(v.toFixed(1));
  console.log(
    JSON.stringify({
      bench: 'detect',
      inference_windows_per_s: {
        node: Object.fromEntries(node.map((r) => [r.batch, Math.round(r.windowsPerSecond)])),
        web: Object.fromEntries(web.map((r) => [r.batch, Math.round(r.windowsPerSecond)])),
      },
      cycle_ms: Object.fromEntries(cycles.map((c) => [c.services, round(c.cycleMs)])),
      cycle_inference_ms: Object.fromEntries(cycles.map((c) => [c.services, round(c.inferenceMs)])),
      peak_rss_mb: Object.fromEntries(cycles.map((c) => [c.services, round(c.peakRssMb)])),
      target_10000_ms: TARGET_MS,
      meets_target: largest.cycleMs < TARGET_MS,
      forecaster_fit_ms: fit,
    })
  );
}

await main();
