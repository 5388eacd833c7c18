import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { parseYamlDocuments, root } from './repoFiles.js';

/** The chart's directory. */
export const chartDir = join(root, 'deploy/helm/seismo');

/**
 * The helm binary: the project-local one `scripts/ensure-deps.mjs` installs from the Go module
 * proxy (.tools/bin/helm), else one on PATH.
 */
export function helmBinary(): string {
  const local = join(root, '.tools/bin/helm');
  if (existsSync(local)) {
    return local;
  }
  const found = spawnSync('helm', ['version', '--short'], { encoding: 'utf8' });
  if (found.status === 0) {
    return 'helm';
  }
  throw new Error('helm is not installed: run `node scripts/ensure-deps.mjs` (it builds helm into .tools/bin)');
}

export interface HelmResult {
  ok: boolean;
  output: string;
}

export function helm(args: string[]): HelmResult {
  const result = spawnSync(helmBinary(), args, { cwd: chartDir, encoding: 'utf8' });
  if (result.error) {
    throw result.error;
  }
  // Helm warns on stderr that the chart's files/ links into the repository; that is by design.
  const stderr = result.stderr
    .split('\n')
    .filter((line) => !line.includes('found symbolic link in path'))
    .join('\n');
  return { ok: result.status === 0, output: `${result.stdout}${stderr}` };
}

/** `--set` arguments for a flat map of values (`sharding.enabled: 'true'`). */
const setArgs = (values: Record<string, string>) =>
  Object.entries(values).flatMap(([key, value]) => ['--set', `${key}=${value}`]);

export const KUBE_VERSION = '1.30.0';
export const NAMESPACE = 'observability';

/** `helm template` of the chart with these values, as helm answers. */
export function templateChart(values: Record<string, string>): HelmResult {
  return helm(['template', 'seismo', '.', '-n', NAMESPACE, '--kube-version', KUBE_VERSION, ...setArgs(values)]);
}

/** The chart rendered as `helm template` does, one object per document. */
export function renderChart(values: Record<string, string>): any[] {
  const { ok, output } = templateChart(values);
  if (!ok) {
    throw new Error(`helm template failed:\n${output}`);
  }
  return parseYamlDocuments(output);
}

export function lintChart(values: Record<string, string>): HelmResult {
  return helm(['lint', '--strict', '.', '-n', NAMESPACE, '--kube-version', KUBE_VERSION, ...setArgs(values)]);
}
