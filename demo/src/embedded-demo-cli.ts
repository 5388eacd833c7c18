import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { runEmbeddedDemo } from './embedded/runEmbeddedDemo.js';

const USAGE = `Usage: npm run demo -- [options]

Runs the demo mesh under load with a fault scenario, Prometheus scraping it (when installed),
and prints what each service's callers see every interval. Stops on Ctrl-C.

  --topology FILE      topology YAML (default: Online Boutique)
  --scenario FILE      fault scenario YAML (default: one fault of each kind over 15 minutes)
  --load PROFILE       load profile: shipped name, YAML file or e.g. steady:rps=20 (default: steady:rps=15)
  --seed N             seed of every random draw (default 1)
  --duration SECONDS   stop by itself after this long (default: run until Ctrl-C)
  --interval SECONDS   how often to print the table (default 15)
  --prometheus-port P  Prometheus port on 127.0.0.1 (default 9090; 0 picks a free one)
  --help               show this help
`;

const shipped = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${flag}: expected a whole number >= ${min}, got "${raw}"`);
  }
  return value;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        topology: { type: 'string' },
        scenario: { type: 'string' },
        load: { type: 'string' },
        seed: { type: 'string' },
        duration: { type: 'string' },
        interval: { type: 'string' },
        'prometheus-port': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const durationSeconds =
      values.duration === undefined ? undefined : wholeNumber('--duration', values.duration, 0, 1);
    await runEmbeddedDemo({
      topologyPath: values.topology ?? shipped('../topologies/online-boutique.yaml'),
      scenarioPath: values.scenario ?? shipped('../scenarios/online-boutique-incidents.yaml'),
      load: values.load ?? 'steady:rps=15',
      seed: wholeNumber('--seed', values.seed, 1, 0),
      durationSeconds,
      intervalSeconds: wholeNumber('--interval', values.interval, 15, 1),
      scrapeIntervalSeconds: 5,
      prometheusPort: wholeNumber('--prometheus-port', values['prometheus-port'], 9090, 0),
      meshMetricsPort: 0,
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      onShutdownRequest: (handler) => {
        const onInt = () => handler('Ctrl-C');
        const onTerm = () => handler('SIGTERM');
        process.once('SIGINT', onInt);
        process.once('SIGTERM', onTerm);
        return () => {
          process.off('SIGINT', onInt);
          process.off('SIGTERM', onTerm);
        };
      },
    });
    return 0;
  } catch (error) {
    process.stderr.write(`seismo demo: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
