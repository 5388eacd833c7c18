import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { runEmbeddedDemo, type StartPreview } from './embedded/runEmbeddedDemo.js';

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
  --sidecar-port P     the sidecar's API port on 127.0.0.1 (default 8080; 0 picks a free one)
  --preview-port P     port of the panel and app preview (default 3001; 0 picks a free one)
  --no-preview         do not start the preview
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

/**
 * The preview host (preview/server) when the plugin and the preview are built; it lives outside
 * this workspace, so it is imported at run time.
 */
async function previewStarter(): Promise<{ startPreview?: StartPreview }> {
  const root = new URL('../../', import.meta.url);
  const built = ['dist/plugin.json', 'preview/build/index.html'].every((f) => existsSync(new URL(f, root)));
  if (!built) {
    return {};
  }
  const module = (await import(new URL('preview/server/startPreviewServer.ts', root).href)) as {
    startPreviewServer: StartPreview;
  };
  return { startPreview: module.startPreviewServer };
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
        'sidecar-port': { type: 'string' },
        'preview-port': { type: 'string' },
        'no-preview': { type: 'boolean' },
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
      sidecarPort: wholeNumber('--sidecar-port', values['sidecar-port'], 8080, 0),
      previewPort: wholeNumber('--preview-port', values['preview-port'], 3001, 0),
      ...(values['no-preview'] === true ? {} : await previewStarter()),
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
