#!/usr/bin/env node
/**
 * The no-Docker demo: installs what it needs (npm packages; Prometheus when running as root),
 * then runs the demo mesh with load, a fault scenario and Prometheus, printing live lines.
 * Arguments after `--` go to the demo (see `npm run demo -- --help`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ensure = spawnSync(process.execPath, ['scripts/ensure-deps.mjs', '--for', 'demo'], {
  cwd: root,
  stdio: 'inherit',
});
if (ensure.status !== 0) {
  process.exit(ensure.status ?? 1);
}

const child = spawn('npm', ['run', '--silent', '-w', 'demo', 'demo', '--', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the whole foreground process group; forward SIGTERM so the demo stops what it started.
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
