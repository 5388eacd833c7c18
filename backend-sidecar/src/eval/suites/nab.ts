import {
  UnivariateDetector,
  seasonalPeriodsForStep,
  type UnivariateConfigInput,
  type UnivariateResult,
} from '../../detectors/univariate/index.js';
import type { EvalSuite } from '../EvalSuite.js';
import { loadNabCorpus, scoreCorpus, type NabFile, type NabProfile, type ProfileResult } from '../nab/index.js';

/**
 * Categories the detector's defaults were chosen on; the others are held out and reported
 * separately so the choice can be checked (see the detector's README).
 */
const TUNING_CATEGORIES = new Set([
  'artificialNoAnomaly',
  'artificialWithAnomaly',
  'realAWSCloudwatch',
  'realAdExchange',
  'realTraffic',
]);

/** Short keys of the summary, by NAB profile name. */
const PROFILE_KEYS: Record<string, string> = {
  standard: 'standard',
  reward_low_FP_rate: 'reward_low_FP',
  reward_low_FN_rate: 'reward_low_FN',
};

/** Median spacing of the file's timestamps in seconds (NAB files have occasional gaps). */
function stepSeconds(file: NabFile): number {
  const steps = file.timestamps.slice(1).map((t, i) => t - file.timestamps[i]!);
  steps.sort((a, b) => a - b);
  return (steps[steps.length >> 1] ?? 0) / 1000;
}

/**
 * What NAB sees of the product's output: the score of every point that could reach an on-call
 * engineer, and 0 for points the detector itself withholds — warm-up, and points of an alert
 * that has already paged. NAB then counts one detection per alert, as an engineer would
 * receive one page.
 */
function nabScore(result: UnivariateResult): number {
  if (result.state !== 'ok' || result.score === null || result.alert === 'ongoing') {
    return 0;
  }
  return result.score;
}

interface FileRun {
  file: NabFile;
  scores: Float64Array;
  pages: number;
  adaptations: number;
  seasonal: Set<number>;
}

/** Runs the detector online over one file: one point at a time, never looking ahead. */
function runFile(file: NabFile, config: UnivariateConfigInput): FileRun {
  const detector = new UnivariateDetector({ ...config, seasonalPeriods: seasonalPeriodsForStep(stepSeconds(file)) });
  const scores = new Float64Array(file.values.length);
  let pages = 0;
  let adaptations = 0;
  const seasonal = new Set<number>();
  file.values.forEach((v, i) => {
    const r = detector.update(v);
    scores[i] = nabScore(r);
    pages += r.alert === 'page' ? 1 : 0;
    adaptations += r.adapted ? 1 : 0;
    if (r.seasonalPeriod !== null) {
      seasonal.add(r.seasonalPeriod);
    }
  });
  return { file, scores, pages, adaptations, seasonal };
}

function byProfile(results: ProfileResult[], pick: (r: ProfileResult) => number | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const v = pick(r);
    if (v !== undefined) {
      out[PROFILE_KEYS[r.profile] ?? r.profile] = Number(v.toFixed(2));
    }
  }
  return out;
}

function scoreAll(
  files: readonly NabFile[],
  scores: ReadonlyMap<string, Float64Array>,
  profiles: readonly NabProfile[],
  fixedThreshold: number
): ProfileResult[] {
  return profiles.map((p) => scoreCorpus(files, scores, p, { fixedThreshold }));
}

/**
 * NAB v1 with the product's univariate detector: every file is streamed through a fresh
 * detector (NAB's probationary period is respected by the scorer; the detector only ever sees
 * the past), then scored with NAB's rules. Reports NAB's own procedure (threshold optimised
 * per profile over the corpus) and the detector's fixed default alert threshold, which uses
 * no labels at all.
 */
const suite: EvalSuite = {
  name: 'nab',
  defaultDataSubdir: 'nab',
  async run({ dataDir, log }) {
    const started = Date.now();
    const corpus = loadNabCorpus(dataDir);
    const config: UnivariateConfigInput = {};
    const fixedThreshold = new UnivariateDetector(config).config.alertThreshold;
    const runs = corpus.files.map((f) => runFile(f, config));
    const scores = new Map(runs.map((r) => [r.file.name, r.scores]));
    const detectSeconds = (Date.now() - started) / 1000;

    const all = scoreAll(corpus.files, scores, corpus.profiles, fixedThreshold);
    const standard = all.find((r) => r.profile === 'standard') ?? all[0]!;
    runs.forEach((run, i) => {
      const pf = standard.perFile[i]!;
      log(
        `${run.file.name}: points=${run.file.values.length} windows=${run.file.windows.length} pages=${run.pages}` +
          ` adaptations=${run.adaptations} seasonal=[${[...run.seasonal].sort((a, b) => a - b).join(',')}]` +
          ` raw_standard(optimised)=${pf.optimised.toFixed(3)} raw_standard(fixed)=${(pf.fixed ?? Number.NaN).toFixed(3)}`
      );
    });
    for (const r of all) {
      log(
        `profile ${r.profile}: optimised threshold=${r.optimised.threshold} raw=${r.optimised.score.toFixed(3)}` +
          ` normalised=${r.optimised.normalised.toFixed(2)}; fixed threshold=${fixedThreshold}` +
          ` normalised=${r.fixed!.normalised.toFixed(2)} (null=${r.nullScore}, perfect=${r.perfectScore})`
      );
    }
    const split: Record<string, unknown> = {};
    for (const [label, keep] of [
      ['tuning', (f: NabFile) => TUNING_CATEGORIES.has(f.category)],
      ['held_out', (f: NabFile) => !TUNING_CATEGORIES.has(f.category)],
    ] as const) {
      const files = corpus.files.filter(keep);
      const part = scoreAll(files, scores, corpus.profiles, fixedThreshold);
      split[label] = {
        categories: [...new Set(files.map((f) => f.category))],
        optimised: byProfile(part, (r) => r.optimised.normalised),
        fixed: byProfile(part, (r) => r.fixed?.normalised),
      };
      log(`${label}: ${JSON.stringify(split[label])}`);
    }
    return {
      suite: 'nab',
      ...byProfile(all, (r) => r.optimised.normalised),
      thresholds: Object.fromEntries(all.map((r) => [PROFILE_KEYS[r.profile] ?? r.profile, r.optimised.threshold])),
      fixed_threshold: { threshold: fixedThreshold, ...byProfile(all, (r) => r.fixed?.normalised) },
      split,
      files: corpus.files.length,
      points: corpus.files.reduce((n, f) => n + f.values.length, 0),
      pages: runs.reduce((n, r) => n + r.pages, 0),
      detect_seconds: Number(detectSeconds.toFixed(1)),
      seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
    };
  },
};

export default suite;
