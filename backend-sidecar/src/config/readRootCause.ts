import { DEFAULT_RANK_OPTIONS, resolveRankOptions } from '../rootcause/resolveRankOptions.js';
import { RootCauseInputError } from '../rootcause/RootCauseInputError.js';
import type { ConfigReader } from './ConfigReader.js';
import { keyTreeOf, readDelegated, stripPrefix } from './readDelegated.js';
import type { RootCauseConfig } from './types.js';

/**
 * Root-cause ranking: the ranker's own options, validated by its resolver, plus how the sidecar
 * prepares the ranker's input. The sidecar's keys are read first so the delegated reader does
 * not report them as unknown.
 */
export function readRootCause(r: ConfigReader): Readonly<RootCauseConfig> {
  // Four hours of baseline ranked best in the evaluation, two hours nearly as well; one hour keeps
  // the range read per open incident small in large meshes (docs/benchmarks.md, root cause).
  const baselineSeconds = r.int('baselineSeconds', 3600, { min: 60, unit: 'seconds' });
  const levelFromSeconds = r.int('levelFromSeconds', 900, { min: 1, unit: 'seconds' });
  const levelToSeconds = r.int('levelToSeconds', 180, { min: 0, unit: 'seconds' });
  if (levelToSeconds >= levelFromSeconds) {
    r.report(
      'levelToSeconds',
      `must be less than rootCause.levelFromSeconds (${levelFromSeconds}), got ${levelToSeconds}`,
      r.nodeOf('levelToSeconds')
    );
  }
  if (levelFromSeconds > baselineSeconds) {
    r.report(
      'levelFromSeconds',
      `must not exceed rootCause.baselineSeconds (${baselineSeconds}): the recent level is taken inside the baseline`,
      r.nodeOf('levelFromSeconds')
    );
  }
  const maxServices = r.int('maxServices', 200, { min: 2, max: 10_000 });
  const rank = readDelegated(
    r,
    keyTreeOf(DEFAULT_RANK_OPTIONS),
    (input) => resolveRankOptions(input),
    (error) =>
      error instanceof RootCauseInputError
        ? {
            field: error.field.replace(/^options\./, ''),
            message: stripPrefix(error.message, `${error.field}: `),
          }
        : null,
    () => resolveRankOptions()
  );
  return { ...rank, baselineSeconds, levelFromSeconds, levelToSeconds, maxServices };
}
