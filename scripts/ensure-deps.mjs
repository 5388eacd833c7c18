#!/usr/bin/env node
/**
 * Installs what the demo and the test command need and a fresh machine lacks, and only that:
 * Debian packages (when running as root; otherwise it prints the command), npm packages (when
 * node_modules is missing or older than the lockfile), Go modules, and Go tools built from source
 * through the Go module proxy into .tools/bin (helm, for the chart tests). Safe to run every time.
 *
 * Usage: node scripts/ensure-deps.mjs [--for demo|test]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Debian packages and what needs them. */
const APT_PACKAGES = {
  demo: ['prometheus'],
  test: [
    'prometheus', // integration and scenario tests scrape the demo mesh
    'prometheus-alertmanager', // alerting tests
    'chromium', // browser tests
    'python3-torch', // model training
    'python3-onnx',
    'python3-numpy',
    'python3-pytest',
    'python3-yaml',
  ],
};

function run(command, args, options = {}) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
  }
}

function missingDebianPackages(packages) {
  return packages.filter((name) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return !(query.status === 0 && query.stdout.includes('install ok installed'));
  });
}

function ensureDebianPackages(packages, { optional }) {
  if (!existsSync('/usr/bin/dpkg-query')) {
    console.log(`not a Debian system: make sure these are installed: ${packages.join(' ')}`);
    return;
  }
  const missing = missingDebianPackages(packages);
  if (missing.length === 0) {
    return;
  }
  if (process.getuid?.() !== 0) {
    if (optional) {
      console.log(
        `optional Debian packages not installed: ${missing.join(' ')} (sudo apt-get install -y ${missing.join(' ')})`
      );
      return;
    }
    throw new Error(
      `missing Debian packages: ${missing.join(' ')}\nInstall them with: sudo apt-get install -y ${missing.join(' ')}`
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}

function ensureNpmPackages() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) {
    return;
  }
  // `npm install` rather than `npm ci`: the lockfile pins every version, but the registries these
  // machines reach lack some other platforms' optional builds (@swc/core for darwin, windows),
  // which `npm ci` insists on finding in the lockfile. With an unchanged lockfile, install
  // resolves exactly the locked versions and writes nothing back.
  run('npm', ['install', '--no-audit', '--no-fund']);
}

function ensureGoModules() {
  run('go', ['mod', 'download']);
}

/**
 * Command-line tools the tests run, built from source through the Go module proxy (no binary is
 * downloaded) into .tools/bin. A stamp file next to each records the version it was built from.
 */
const GO_TOOLS = [{ name: 'helm', module: 'helm.sh/helm/v3/cmd/helm', version: 'v3.19.5' }];

function ensureGoTools() {
  const bin = join(root, '.tools', 'bin');
  for (const tool of GO_TOOLS) {
    const stamp = join(bin, `${tool.name}.version`);
    if (existsSync(join(bin, tool.name)) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === tool.version) {
      continue;
    }
    run('go', ['install', `${tool.module}@${tool.version}`], { env: { ...process.env, GOBIN: bin } });
    writeFileSync(stamp, `${tool.version}\n`);
  }
}

const purpose = process.argv.includes('--for') ? process.argv[process.argv.indexOf('--for') + 1] : 'test';
if (!(purpose in APT_PACKAGES)) {
  console.error(`usage: node scripts/ensure-deps.mjs [--for ${Object.keys(APT_PACKAGES).join('|')}]`);
  process.exit(2);
}
try {
  // The demo runs without Prometheus (the sidecar then scrapes the mesh itself); tests do not.
  ensureDebianPackages(APT_PACKAGES[purpose], { optional: purpose === 'demo' });
  ensureNpmPackages();
  if (purpose === 'test') {
    ensureGoModules();
    ensureGoTools();
  }
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
