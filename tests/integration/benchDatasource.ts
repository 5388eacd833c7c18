/**
 * `npm run bench:datasource`: QueryData latency of the Seismo datasource for the Overview and
 * Service dashboards against the real stack (the demo mesh under load with a delay fault, a real
 * Prometheus and the sidecar process, as in tests/integration/datasource-stack.test.ts).
 *
 * Each of the 100 measured loads of a dashboard sends its panels' Seismo requests at once, as
 * Grafana does, and ends when the last answer is encoded for Grafana (pkg/cmd/bench-datasource).
 * Progress goes to stderr; the last line on stdout is the result as one JSON object.
 *
 * Usage: npm run bench:datasource [-- --runs 100]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { CollectedCommand } from './support/CollectedCommand.js';
import { REPO_ROOT } from './support/repoRoot.js';
import { startDatasourceStack, type DatasourceStack } from './support/startDatasourceStack.js';

const DASHBOARDS = ['dashboards/seismo-overview.json', 'dashboards/seismo-service.json'];
const REQUESTS_PER_SECOND = 20;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '100' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  throw new Error(`--runs ${values.runs} is not a positive whole number`);
}

const log = (line: string) => process.stderr.write(`bench:datasource: ${line}\n`);
const dir = mkdtempSync(join(tmpdir(), 'seismo-bench-datasource-'));
const binary = join(dir, 'bench-datasource');
const build = new CollectedCommand('go', ['build', '-o', binary, './pkg/cmd/bench-datasource']);
let stack: DatasourceStack | undefined;
let bench: CollectedCommand | undefined;
try {
  const started = Date.now();
  // Load for the warm-up (about two minutes) plus the measurement, with room to spare.
  stack = await startDatasourceStack({ log, loadSeconds: 240 + runs * 2, rps: REQUESTS_PER_SECOND });
  const historySeconds = Math.round((Date.now() - started) / 1000);
  await build.succeeded();
  // The Service dashboard is measured for the service that calls the most others.
  const service = stack.faultedEdge.client;
  bench = new CollectedCommand(
    binary,
    [
      '-prometheus-url',
      stack.prometheusUrl,
      '-sidecar-url',
      stack.sidecarUrl,
      ...DASHBOARDS.flatMap((d) => ['-dashboard', join(REPO_ROOT, d)]),
      '-var',
      `service=${service}`,
      '-runs',
      String(runs),
    ],
    {
      env: { ...process.env, SEISMO_SIDECAR_TOKEN: stack.sidecarToken },
      onStderr: (chunk) => process.stderr.write(chunk),
    }
  );
  const { stdout } = await bench.succeeded();
  const line = stdout.trim().split('\n').at(-1) ?? '';
  const result = JSON.parse(line) as Record<string, unknown>;
  console.log(
    JSON.stringify({
      ...result,
      stack: {
        topology: 'online-boutique',
        services: stack.services.length,
        load_rps: REQUESTS_PER_SECOND,
        history_s: historySeconds,
        service,
        fault: `${stack.faultedEdge.client}->${stack.faultedEdge.server} delay`,
      },
    })
  );
} finally {
  build.kill();
  bench?.kill();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
}
