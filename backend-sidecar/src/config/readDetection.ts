import type { ConfigReader } from './ConfigReader.js';
import { defaultModelDir } from './defaultModelDir.js';
import { readPath } from './readPath.js';
import type { SectionContext } from './SectionContext.js';
import type { DetectionConfig } from './types.js';

export function readDetection(r: ConfigReader, ctx: SectionContext): DetectionConfig {
  // Below 5 s a cycle of batched range queries and inference cannot reliably finish in time.
  const intervalSeconds = r.int('intervalSeconds', 15, { min: 5, unit: 'seconds' });
  const stepSeconds = r.int('stepSeconds', 15, { min: 1, unit: 'seconds' });
  if (intervalSeconds % stepSeconds !== 0) {
    // Otherwise each cycle ends at a different offset on the step grid and windows jitter.
    r.report(
      'intervalSeconds',
      `must be a multiple of detection.stepSeconds (${stepSeconds}), got ${intervalSeconds}`,
      r.nodeOf('intervalSeconds')
    );
  }
  const windowSteps = r.int('windowSteps', 60, { min: 2, max: 10_000 });
  const modelDir = readPath(r, ctx, 'modelDir', defaultModelDir(), 'directory') ?? defaultModelDir();
  const maxConcurrentQueries = r.int('maxConcurrentQueries', 4, { min: 1, max: 64 });
  r.finish();
  return { intervalSeconds, stepSeconds, windowSteps, modelDir, maxConcurrentQueries };
}
