import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { EvalSuite } from './EvalSuite.js';

/** Suites by name; each module default-exports an EvalSuite. Loaded lazily so one suite's
 * dependencies (models, wasm) are only loaded when that suite runs. */
const SUITES: Record<string, () => Promise<{ default: EvalSuite }>> = {
  smd: () => import('./suites/smd.js'),
  nab: () => import('./suites/nab.js'),
  nezha: () => import('./suites/nezha.js'),
  forecast: () => import('./suites/forecast.js'),
};

const USAGE = `usage: npm run eval -- --suite <${Object.keys(SUITES).join('|')}|all> [--data DIR]`;

/** The shared benchmarks folder sits beside the repository. */
function defaultBenchmarksRoot(): string {
  const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
  return process.env.SEISMO_BENCHMARKS ?? resolve(repoRoot, '..', 'shared', 'benchmarks');
}

export async function runEvalCli(argv: string[]): Promise<number> {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const suiteName = flag('--suite');
  if (!suiteName || (suiteName !== 'all' && !(suiteName in SUITES))) {
    console.error(suiteName ? `unknown suite "${suiteName}"\n${USAGE}` : USAGE);
    return 2;
  }
  const dataFlag = flag('--data');
  if (dataFlag !== undefined && suiteName === 'all') {
    console.error("--data names one suite's data: use it with a single --suite");
    return 2;
  }
  const names = suiteName === 'all' ? Object.keys(SUITES) : [suiteName];
  const results: Array<Record<string, unknown>> = [];
  for (const name of names) {
    const suite = (await SUITES[name]!()).default;
    const dataDir = dataFlag ? resolve(dataFlag) : join(defaultBenchmarksRoot(), suite.defaultDataSubdir);
    if (!existsSync(dataDir)) {
      console.error(`${name}: data folder ${dataDir} does not exist (pass --data DIR or set SEISMO_BENCHMARKS)`);
      return 2;
    }
    const result = await suite.run({ dataDir, log: (line) => console.log(line) });
    results.push(result);
    if (names.length > 1) {
      console.log(JSON.stringify(result));
    }
  }
  console.log(JSON.stringify(results.length === 1 ? results[0] : { suite: 'all', results }));
  return 0;
}
