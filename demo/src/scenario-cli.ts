import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { runScenario } from './scenarios/runScenario.js';

const SCENARIO_DIR = fileURLToPath(new URL('../scenarios/end-to-end/', import.meta.url));

const USAGE = `Usage: npm run scenario -- <name|file> [options]

Runs one end-to-end scenario: the demo mesh under load, Prometheus and the real sidecar process,
with faults and events on a timeline. Progress goes to stderr; the last line on stdout is the
result as one JSON object. Exit code 0 when every expectation held, 1 otherwise.

  --list      list the shipped scenarios with their descriptions
  --keep      keep the run directory (sidecar config and log, Prometheus data, ground truth)
  --help      show this help
`;

function shipped(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { list: { type: 'boolean' }, keep: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.list) {
    process.stdout.write(`${shipped().join('\n')}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`give one scenario name (one of: ${shipped().join(', ')}) or file\n\n${USAGE}`);
    return 2;
  }
  const name = positionals[0] as string;
  const file = existsSync(name) ? name : `${SCENARIO_DIR}${name}.yaml`;
  if (!existsSync(file)) {
    process.stderr.write(`no scenario "${name}"; shipped: ${shipped().join(', ')}\n`);
    return 2;
  }
  const result = await runScenario({
    file,
    keep: values.keep === true,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.passed ? 0 : 1;
}

const code = await main().catch((error: unknown) => {
  process.stderr.write(`scenario: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
});
process.exit(code);
