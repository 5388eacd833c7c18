import { normaliseScore } from './normaliseScore.js';
import { optimiseThreshold } from './optimiseThreshold.js';
import { DEFAULT_PROBATIONARY_PERCENT } from './probationaryLength.js';
import { scoreAtThreshold } from './scoreAtThreshold.js';
import { sweepFile } from './sweepFile.js';
import type { NabFile, NabProfile, SweptFile, ThresholdScore } from './types.js';

/** The constant NAB's null detector reports for every record. */
const NULL_DETECTOR_SCORE = 0.5;

export interface ProfileResult {
  profile: string;
  /** Raw score of the null detector (the 0 of the scale), obtained by scoring it like any detector. */
  nullScore: number;
  /** tpWeight × number of labelled windows (the 100 of the scale). */
  perfectScore: number;
  /** NAB's own procedure: the corpus-wide threshold that maximises the raw score. */
  optimised: ThresholdScore & { normalised: number };
  /** The same detector at a threshold fixed in advance, when one was given. */
  fixed?: ThresholdScore & { normalised: number };
  /** Raw score per file at the optimised threshold (and at the fixed one). */
  perFile: Array<{ name: string; optimised: number; fixed?: number }>;
}

export interface ScoreCorpusOptions {
  /** A threshold chosen without labels, scored beside the optimised one. */
  fixedThreshold?: number;
  probationaryPercent?: number;
}

function sumAt(swept: readonly SweptFile[], threshold: number, profile: NabProfile): ThresholdScore {
  const total: ThresholdScore = { threshold, score: 0, tp: 0, tn: 0, fp: 0, fn: 0 };
  for (const f of swept) {
    const s = scoreAtThreshold(f, threshold, profile);
    total.score += s.score;
    total.tp += s.tp;
    total.tn += s.tn;
    total.fp += s.fp;
    total.fn += s.fn;
  }
  return total;
}

/**
 * Scores a detector's anomaly scores (one array per file, aligned with the file's records) on
 * the whole corpus for one profile, normalised as NAB reports it. Every file of `files` must
 * have scores: NAB's normalisation counts all labelled windows, so scoring a subset against
 * the full corpus' perfect score would be meaningless; pass the subset as `files` instead.
 */
export function scoreCorpus(
  files: readonly NabFile[],
  scores: ReadonlyMap<string, ArrayLike<number>>,
  profile: NabProfile,
  options: ScoreCorpusOptions = {}
): ProfileResult {
  const percent = options.probationaryPercent ?? DEFAULT_PROBATIONARY_PERCENT;
  const swept = files.map((f) => {
    const s = scores.get(f.name);
    if (s === undefined) {
      throw new Error(`no anomaly scores for ${f.name}`);
    }
    return sweepFile(f, s, profile, percent);
  });
  const nullSwept = files.map((f) =>
    sweepFile(f, new Float64Array(f.timestamps.length).fill(NULL_DETECTOR_SCORE), profile, percent)
  );
  const nullScore = optimiseThreshold(nullSwept, profile).score;
  const perfectScore = profile.tpWeight * files.reduce((n, f) => n + f.windows.length, 0);

  const best = optimiseThreshold(swept, profile);
  const result: ProfileResult = {
    profile: profile.name,
    nullScore,
    perfectScore,
    optimised: { ...best, normalised: normaliseScore(best.score, nullScore, perfectScore) },
    perFile: swept.map((f) => ({ name: f.name, optimised: scoreAtThreshold(f, best.threshold, profile).score })),
  };
  if (options.fixedThreshold !== undefined) {
    const fixed = sumAt(swept, options.fixedThreshold, profile);
    result.fixed = { ...fixed, normalised: normaliseScore(fixed.score, nullScore, perfectScore) };
    swept.forEach((f, i) => {
      result.perFile[i]!.fixed = scoreAtThreshold(f, options.fixedThreshold!, profile).score;
    });
  }
  return result;
}
