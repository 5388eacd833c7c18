/** A faithful NAB v1 scorer (probationary period, window-relative sigmoid credit, corpus-wide threshold optimisation). */
export { loadNabCorpus } from './loadNabCorpus.js';
export { parseNabTimestamp } from './parseNabTimestamp.js';
export { probationaryLength, DEFAULT_PROBATIONARY_PERCENT } from './probationaryLength.js';
export { scaledSigmoid } from './scaledSigmoid.js';
export { sweepFile } from './sweepFile.js';
export { sweepThresholds } from './sweepThresholds.js';
export { optimiseThreshold } from './optimiseThreshold.js';
export { scoreAtThreshold } from './scoreAtThreshold.js';
export { normaliseScore } from './normaliseScore.js';
export { scoreCorpus } from './scoreCorpus.js';
export type { ProfileResult, ScoreCorpusOptions } from './scoreCorpus.js';
export { windowedGaussianScores } from './windowedGaussianScores.js';
export { windowCodes } from './windowCodes.js';
export type * from './types.js';
