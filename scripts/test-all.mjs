#!/usr/bin/env node
/**
 * Runs every test suite of the repository in a fixed order and ends with one summary line,
 * `N passed, N failed`. Each suite's own output is streamed as it runs; the counts come from
 * each runner's machine-readable report, not from scraping its console text.
 *
 * Usage: node scripts/test-all.mjs [--only name,name] [--skip name,name]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const reports = mkdtempSync(join(tmpdir(), 'seismo-test-'));
const python = process.env.SEISMO_PYTHON ?? '/usr/bin/python3';

/** A step must succeed but has no test counts (builds, type checks). */
const step = (name, command, args, cwd = root) => ({ name, kind: 'step', command, args, cwd });

const suites = [
  step('dependencies', 'node', ['scripts/ensure-deps.mjs', '--for', 'test']),
  step('typecheck', 'npm', ['run', 'typecheck', '--workspaces', '--include-workspace-root']),
  step('lint', 'npm', ['run', 'lint']),
  step('format', 'npm', ['run', 'format:check']),
  step('build-frontend', 'npm', ['run', 'build']),
  step('build-backend', 'npm', ['run', 'build:backend']),
  step('build-preview', 'npm', ['run', 'build:preview']),
  {
    name: 'jest',
    kind: 'jest',
    command: 'npx',
    args: ['jest', '--ci', '--maxWorkers=2', '--json', `--outputFile=${join(reports, 'jest.json')}`],
    cwd: root,
  },
  nodeSuite('demo', join(root, 'demo')),
  nodeSuite('sidecar', join(root, 'backend-sidecar')),
  nodeSuite('repo', root, 'tests'),
  {
    name: 'go',
    kind: 'go',
    command: 'go',
    args: ['test', '-json', '-count=1', './pkg/...'],
    cwd: root,
  },
  {
    name: 'python',
    kind: 'junit',
    command: python,
    args: ['-m', 'pytest', '-q', `--junitxml=${join(reports, 'python.xml')}`],
    cwd: join(root, 'backend-sidecar', 'training'),
    report: join(reports, 'python.xml'),
  },
];

/** node:test over every *.test.ts below `dir`, with a TAP copy of the results for counting. */
function nodeSuite(name, cwd, dir = 'test') {
  const report = join(reports, `${name}.tap`);
  return {
    name,
    kind: 'tap',
    command: 'sh',
    args: [
      '-c',
      `files=$(find ${dir} -name '*.test.ts' -not -path '*/node_modules/*' | sort); ` +
        `[ -n "$files" ] || { echo "no test files under ${dir}" >&2; exit 1; }; ` +
        `exec node --import tsx --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout ` +
        `--test-reporter=tap --test-reporter-destination=${report} $files`,
    ],
    cwd,
    report,
  };
}

function parseArgs(argv) {
  const pick = (flag) => {
    const i = argv.indexOf(flag);
    return i >= 0 && argv[i + 1] ? new Set(argv[i + 1].split(',')) : undefined;
  };
  return { only: pick('--only'), skip: pick('--skip') ?? new Set() };
}

function run(suite) {
  return new Promise((resolvePromise) => {
    const started = Date.now();
    const child = spawn(suite.command, suite.args, { cwd: suite.cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      // go test -json is for counting; show only its human-readable Output lines.
      if (suite.kind === 'go') {
        stdout += chunk;
        for (const line of chunk.toString().split('\n')) {
          try {
            const event = JSON.parse(line);
            if (event.Action === 'output' && /^(--- FAIL|FAIL|ok|panic)/.test(event.Output.trimStart())) {
              process.stdout.write(event.Output);
            }
          } catch {
            // partial line: counted from the full stdout afterwards
          }
        }
      } else {
        process.stdout.write(chunk);
      }
    });
    child.on('error', (error) => resolvePromise({ code: 127, stdout, error, seconds: (Date.now() - started) / 1000 }));
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, seconds: (Date.now() - started) / 1000 }));
  });
}

function count(suite, result) {
  switch (suite.kind) {
    case 'step':
      return { passed: 0, failed: result.code === 0 ? 0 : 1 };
    case 'jest': {
      const file = join(reports, 'jest.json');
      if (!existsSync(file)) {
        return { passed: 0, failed: 1 };
      }
      const report = JSON.parse(readFileSync(file, 'utf8'));
      // A suite that fails to load has no tests but is a failure.
      return { passed: report.numPassedTests, failed: report.numFailedTests + report.numRuntimeErrorTestSuites };
    }
    case 'tap': {
      if (!existsSync(suite.report)) {
        return { passed: 0, failed: 1 };
      }
      const tap = readFileSync(suite.report, 'utf8');
      const number = (key) => Number(tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm'))?.[1] ?? 0);
      return { passed: number('pass'), failed: number('fail') + number('cancelled') };
    }
    case 'go': {
      let passed = 0;
      let failed = 0;
      for (const line of result.stdout.split('\n')) {
        if (!line.startsWith('{')) {
          continue;
        }
        const event = JSON.parse(line);
        if (event.Test && event.Action === 'pass') {
          passed++;
        } else if (event.Test && event.Action === 'fail') {
          failed++;
        }
      }
      return { passed, failed };
    }
    case 'junit': {
      if (!existsSync(suite.report)) {
        return { passed: 0, failed: 1 };
      }
      const xml = readFileSync(suite.report, 'utf8');
      const attr = (name) => Number(xml.match(new RegExp(`<testsuite[^>]*\\s${name}="(\\d+)"`))?.[1] ?? 0);
      const failed = attr('failures') + attr('errors');
      return { passed: attr('tests') - failed - attr('skipped'), failed };
    }
    default:
      throw new Error(`unknown suite kind ${suite.kind}`);
  }
}

async function main() {
  const { only, skip } = parseArgs(process.argv.slice(2));
  const selected = suites.filter((suite) => (!only || only.has(suite.name)) && !skip.has(suite.name));
  const rows = [];
  for (const suite of selected) {
    console.log(`\n=== ${suite.name}: ${suite.command} ${suite.args.join(' ')}`);
    const result = await run(suite);
    const counts = count(suite, result);
    // A runner that exits non-zero without a counted failure still fails the run.
    const failed = result.code !== 0 && counts.failed === 0 ? 1 : counts.failed;
    rows.push({ name: suite.name, passed: counts.passed, failed, seconds: result.seconds, code: result.code });
    if (result.error) {
      console.error(`${suite.name}: could not start ${suite.command}: ${result.error.message}`);
    }
    if (suite.name === 'dependencies' && failed > 0) {
      console.error('dependencies could not be installed: not running the suites');
      break;
    }
  }
  rmSync(reports, { recursive: true, force: true });

  console.log('\n=== summary');
  for (const row of rows) {
    const status = row.failed === 0 ? 'ok  ' : 'FAIL';
    console.log(
      `${status} ${row.name.padEnd(16)} ${String(row.passed).padStart(5)} passed ${String(row.failed).padStart(4)} failed  ${row.seconds.toFixed(1)} s`
    );
  }
  const passed = rows.reduce((sum, row) => sum + row.passed, 0);
  const failed = rows.reduce((sum, row) => sum + row.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
