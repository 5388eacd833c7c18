import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadNabCorpus, scoreCorpus, windowedGaussianScores, type NabCorpus } from '../src/eval/nab/index.js';

/** Same resolution as the evaluation CLI: SEISMO_BENCHMARKS, else the shared folder beside the repository. */
const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const nabDir = join(process.env.SEISMO_BENCHMARKS ?? resolve(repoRoot, '..', 'shared', 'benchmarks'), 'nab');
const available = existsSync(join(nabDir, 'labels', 'combined_windows.json'));
const skip = available ? false : `NAB corpus not found at ${nabDir} (set SEISMO_BENCHMARKS)`;

let cached: NabCorpus | undefined;
function corpus(): NabCorpus {
  cached ??= loadNabCorpus(nabDir);
  return cached;
}

function scoresFor(
  make: (values: number[], windowStarts: Set<number>) => ArrayLike<number>
): Map<string, ArrayLike<number>> {
  return new Map(
    corpus().files.map((f) => {
      const starts = new Set(f.windows.map((w) => f.timestamps.indexOf(w.start)));
      return [f.name, make(f.values, starts)];
    })
  );
}

describe('NAB scorer on the published corpus', { skip }, () => {
  it('scores the null detector (constant 0.5) 0 on every profile', () => {
    const scores = scoresFor((values) => new Float64Array(values.length).fill(0.5));
    for (const profile of corpus().profiles) {
      const r = scoreCorpus(corpus().files, scores, profile);
      assert.equal(r.optimised.normalised, 0, profile.name);
      assert.equal(r.nullScore, -profile.fnWeight * 116);
    }
  });

  it('scores a perfect detector (first point of every window, nothing else) 100 on every profile', () => {
    const scores = scoresFor((values, starts) => Float64Array.from(values, (_, i) => (starts.has(i) ? 1 : 0)));
    for (const profile of corpus().profiles) {
      const r = scoreCorpus(corpus().files, scores, profile);
      assert.ok(Math.abs(r.optimised.normalised - 100) < 1e-9, `${profile.name}: ${r.optimised.normalised}`);
    }
  });

  it("reproduces NAB's published windowed Gaussian scores within ±0.5", () => {
    const published = JSON.parse(readFileSync(join(nabDir, 'results', 'final_results.json'), 'utf8')) as Record<
      string,
      Record<string, number>
    >;
    const expected = published.windowedGaussian!;
    const scores = scoresFor((values) => windowedGaussianScores(values));
    for (const profile of corpus().profiles) {
      const r = scoreCorpus(corpus().files, scores, profile);
      const want = expected[profile.name]!;
      assert.ok(
        Math.abs(r.optimised.normalised - want) <= 0.5,
        `${profile.name}: ${r.optimised.normalised} vs ${want}`
      );
    }
  });
});
