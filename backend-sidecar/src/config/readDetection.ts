import type { ConfigReader } from './ConfigReader.js';
import { defaultModelDir } from './defaultModelDir.js';
import { readBaselines } from './readBaselines.js';
import { readPath } from './readPath.js';
import { readUnivariate } from './readUnivariate.js';
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
  const rateWindowSeconds = r.int('rateWindowSeconds', 60, { min: 1, unit: 'seconds' });
  const warmupHistorySeconds = r.int('warmupHistorySeconds', 21_600, { min: 0, max: 30 * 86_400, unit: 'seconds' });
  const staleAfterSteps = r.int('staleAfterSteps', 3, { min: 1, max: 1000 });
  const externalClients = r.stringList('externalClients', [], (name, earlier) =>
    earlier.includes(name) ? `"${name}" is listed twice` : null
  );
  const univariate = readUnivariate(r.section('univariate'));
  const baselines = readBaselines(r.section('baselines'));
  r.finish();
  return {
    intervalSeconds,
    stepSeconds,
    windowSteps,
    modelDir,
    maxConcurrentQueries,
    rateWindowSeconds,
    warmupHistorySeconds,
    staleAfterSteps,
    externalClients,
    univariate,
    baselines,
  };
}
