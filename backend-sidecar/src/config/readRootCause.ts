import { DEFAULT_RANK_OPTIONS, resolveRankOptions } from '../rootcause/resolveRankOptions.js';
import { RootCauseInputError } from '../rootcause/RootCauseInputError.js';
import type { RankOptions } from '../rootcause/types.js';
import type { ConfigReader } from './ConfigReader.js';
import { keyTreeOf, readDelegated, stripPrefix } from './readDelegated.js';

/** Root-cause ranking options, validated by the ranker's own resolver. */
export function readRootCause(r: ConfigReader): Readonly<RankOptions> {
  return readDelegated(
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
}
