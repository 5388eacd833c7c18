import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { convertNezha } from './convertNezha.js';

const USAGE = 'usage: npm run -w backend-sidecar convert:nezha -- --out DIR [--data NEZHA_DIR]';

/** The shared benchmarks folder sits beside the repository, as for the evaluation CLI. */
function defaultNezhaDir(): string {
  const repoRoot = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
  return resolve(process.env.SEISMO_BENCHMARKS ?? resolve(repoRoot, '..', 'shared', 'benchmarks'), 'nezha');
}

async function main(argv: string[]): Promise<number> {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = flag('--out');
  if (!out) {
    console.error(USAGE);
    return 2;
  }
  const outDir = resolve(out);
  // Refuse to mix with older output: a stale case folder would silently join the evaluation.
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    console.error(`${outDir} is not empty; choose a new or empty folder`);
    return 2;
  }
  const dataDir = resolve(flag('--data') ?? defaultNezhaDir());
  if (!existsSync(dataDir)) {
    console.error(`${dataDir} does not exist (pass --data NEZHA_DIR or set SEISMO_BENCHMARKS)\n${USAGE}`);
    return 2;
  }
  const result = await convertNezha({ dataDir, outDir, log: (line) => console.log(line) });
  for (const note of result.notes) {
    console.log(`note: ${note}`);
  }
  console.log(JSON.stringify({ outDir, cases: result.cases.length }));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
