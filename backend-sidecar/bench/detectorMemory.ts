/**
 * Memory and time of the univariate detector once its windows are full: bytes per detector
 * (V8 heap plus array buffers, after a full garbage collection, and the resident set growth) and
 * microseconds per update, for the settings the sidecar runs with. Each profile runs in its own
 * process so the resident sizes do not mix. Prints one JSON line.
 *
 *   node --expose-gc --import tsx bench/detectorMemory.ts [profile]
 *
 * Without a profile it runs every profile in a child process and prints their results together.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import {
  UnivariateDetector,
  seasonalPeriodsForStep,
  type UnivariateConfigInput,
} from '../src/detectors/univariate/index.js';

interface Profile {
  readonly config: UnivariateConfigInput;
  /** Detectors measured together. */
  readonly detectors: number;
  /** Points fed before measuring: enough to fill every window and history. */
  readonly points: number;
}

const PROFILES: Readonly<Record<string, Profile>> = {
  // The detector's defaults as the sidecar uses them with seasonal references off.
  default: { config: {}, detectors: 400, points: 1600 },
  // Defaults at a 60-s step with the daily reference (the weekly one exceeds maxHistory).
  'default-seasonal-60s': { config: { seasonalPeriods: seasonalPeriodsForStep(60) }, detectors: 60, points: 4500 },
  // The settings the large-mesh benchmarks use (detection.univariate in their configs).
  'large-mesh': {
    config: { window: 60, warmup: 20, calibrationWindow: 120, calibrationWarmup: 40, clearAfter: 12, adaptAfter: 30 },
    detectors: 20_000,
    points: 160,
  },
};

/** Points timed after the windows are full. */
const TIMED_POINTS = 40;

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) {
    throw new Error('run with node --expose-gc');
  }
  collect();
  collect();
}

/** Deterministic noise around 50 with a daily cycle, so seasonal models engage. */
function valueAt(detector: number, t: number): number {
  const x = Math.sin(detector * 12.9898 + t * 78.233) * 43758.5453;
  return 50 + 10 * Math.sin((2 * Math.PI * t) / 1440) + (x - Math.floor(x));
}

function measure(name: string): Record<string, number | string> {
  const profile = PROFILES[name];
  if (profile === undefined) {
    throw new Error(`unknown profile ${name} (known: ${Object.keys(PROFILES).join(', ')})`);
  }
  gc();
  const before = process.memoryUsage();
  // Detectors of one setting share its prepared form, as the sidecar's banks do.
  const prepared = UnivariateDetector.prepare(profile.config);
  const detectors = Array.from({ length: profile.detectors }, () => new UnivariateDetector(prepared));
  for (let t = 0; t < profile.points; t++) {
    for (let d = 0; d < detectors.length; d++) {
      detectors[d]!.update(valueAt(d, t));
    }
  }
  const started = performance.now();
  for (let t = profile.points; t < profile.points + TIMED_POINTS; t++) {
    for (let d = 0; d < detectors.length; d++) {
      detectors[d]!.update(valueAt(d, t));
    }
  }
  const elapsed = performance.now() - started;
  gc();
  const after = process.memoryUsage();
  const per = (bytes: number): number => Math.round(bytes / detectors.length);
  return {
    profile: name,
    detectors: detectors.length,
    bytesPerDetector: per(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers),
    rssBytesPerDetector: per(after.rss - before.rss),
    microsecondsPerUpdate: Number(((elapsed * 1000) / (detectors.length * TIMED_POINTS)).toFixed(2)),
  };
}

const requested = process.argv[2];
if (requested !== undefined) {
  console.log(JSON.stringify(measure(requested)));
} else {
  const self = fileURLToPath(import.meta.url);
  const results = Object.keys(PROFILES).map(
    (name) =>
      JSON.parse(
        execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, name], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .pop() as string
      ) as Record<string, unknown>
  );
  for (const r of results) {
    console.error(
      `${String(r['profile']).padEnd(22)} ${String(r['bytesPerDetector']).padStart(8)} B/detector  ` +
        `${String(r['rssBytesPerDetector']).padStart(8)} B RSS/detector  ${String(r['microsecondsPerUpdate']).padStart(6)} µs/update`
    );
  }
  console.log(JSON.stringify({ bench: 'detector-memory', results }));
}
