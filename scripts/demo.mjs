#!/usr/bin/env node
/**
 * The no-Docker demo: installs what it needs (npm packages; Prometheus when running as root),
 * builds the plugin and the preview host the first time, then runs the demo mesh with load, a
 * fault scenario, Prometheus, the sidecar and the preview of the panels and app pages, printing
 * live lines. Arguments after `--` go to the demo (see `npm run demo -- --help`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ensure = spawnSync(process.execPath, ['scripts/ensure-deps.mjs', '--for', 'demo'], {
  cwd: root,
  stdio: 'inherit',
});
if (ensure.status !== 0) {
  process.exit(ensure.status ?? 1);
}
// The preview shows the built plugin; build it once (later runs reuse dist/ and preview/build/).
if (!process.argv.includes('--no-preview')) {
  for (const [marker, script] of [
    ['dist/plugin.json', 'build'],
    ['preview/build/index.html', 'build:preview'],
  ]) {
    if (!existsSync(join(root, marker))) {
      console.log(`building: npm run ${script} (first run only)`);
      const build = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
      if (build.status !== 0) {
        process.exit(build.status ?? 1);
      }
    }
  }
}

const child = spawn('npm', ['run', '--silent', '-w', 'demo', 'demo', '--', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the whole foreground process group; forward SIGTERM so the demo stops what it started.
process.on('SIGTERM', () => child.kill('SIGTERM'));
process.on('SIGINT', () => undefined);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
