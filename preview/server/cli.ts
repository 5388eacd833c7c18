/**
 * Starts the preview on 127.0.0.1 and prints its URLs; stops on Ctrl-C or SIGTERM.
 *
 *   npx tsx preview/server/cli.ts [--port 3001] [--sidecar http://127.0.0.1:8080] [--token-file FILE]
 *                                 [--prometheus http://127.0.0.1:9090]
 *
 * The sidecar token comes from --token-file or the SEISMO_SIDECAR_TOKEN environment variable,
 * never from the command line (where other users of the machine could read it). Without
 * --sidecar, the panels show the recorded frame sets and the app pages say how to get data.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { startPreviewServer, type PreviewServerOptions } from './startPreviewServer.js';

const USAGE = `Usage: npx tsx preview/server/cli.ts [--port N] [--sidecar URL] [--token-file FILE] [--prometheus URL] [--fixtures DIR]

  --port N          port on 127.0.0.1 (default 3001; 0 picks a free one)
  --sidecar URL     a running sidecar: the app pages and the panels show its live data
  --token-file FILE the sidecar's API token (or set SEISMO_SIDECAR_TOKEN)
  --prometheus URL  Prometheus with the sidecar's series: temperature history in the live preview
  --fixtures DIR    recorded frame sets (default tests/browser/fixtures)
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '3001' },
      sidecar: { type: 'string' },
      'token-file': { type: 'string' },
      fixtures: { type: 'string' },
      prometheus: { type: 'string' },
      help: { type: 'boolean' },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  fail(`--port: expected a port number, got "${values.port}"`);
}
const options: PreviewServerOptions = { port };
if (values.fixtures) {
  options.fixturesDir = values.fixtures;
}
if (values.prometheus) {
  try {
    new URL(values.prometheus);
  } catch {
    fail(`--prometheus: "${values.prometheus}" is not a URL (e.g. http://127.0.0.1:9090)`);
  }
  options.prometheus = { url: values.prometheus };
}
if (values.sidecar) {
  try {
    new URL(values.sidecar);
  } catch {
    fail(`--sidecar: "${values.sidecar}" is not a URL (e.g. http://127.0.0.1:8080)`);
  }
  let token = process.env.SEISMO_SIDECAR_TOKEN;
  if (values['token-file']) {
    try {
      token = readFileSync(values['token-file'], 'utf8').trim();
    } catch (error) {
      fail(`--token-file: cannot read ${values['token-file']}: ${(error as Error).message}`);
    }
  }
  options.sidecar = { url: values.sidecar, ...(token ? { token } : {}) };
}

const server = await startPreviewServer(options).catch((error: Error) => fail(error.message));
const live = options.sidecar ? 'source=live' : 'set=delay-one-edge';
process.stdout.write(
  `Seismo app pages:    ${server.url}a/seismo-aiops-app/overview${options.sidecar ? '' : ' (needs --sidecar)'}\n` +
    `  configuration:     ${server.url}plugins/seismo-aiops-app\n` +
    `Seismo panels:       ${server.url}?view=panels&${live}\n` +
    `  light theme:       ${server.url}?view=panels&${live}&theme=light\n` +
    `  plugin check:      ${server.url}\n`
);
const stop = () => {
  server.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
