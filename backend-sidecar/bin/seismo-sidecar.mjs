#!/usr/bin/env node
// Entry point of the seismo-sidecar command. The container image ships the compiled
// JavaScript next to this file (../src/cli.js); a source checkout runs the TypeScript through
// tsx, a development dependency.
import { existsSync } from 'node:fs';

const compiled = new URL('../src/cli.js', import.meta.url);
let cli;
if (existsSync(compiled)) {
  cli = await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../src/cli.ts', import.meta.url).href);
}

const code = await cli.runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signals: process,
  exit: (c) => process.exit(c),
});
process.exit(code);
