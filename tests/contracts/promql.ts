import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

import { filesIn, readText, readYaml } from './repoFiles.js';

/** Names of the series the sidecar exports, from the contract table in docs/metrics.md. */
export function documentedMetrics(): { names: Set<string>; prefixes: string[] } {
  const names = new Set<string>();
  const prefixes: string[] = [];
  for (const line of readText('docs/metrics.md').split('\n')) {
    // The first cell of a table row names one metric, or several (`seismo_process_*`, ...).
    const firstCell = line.startsWith('|') ? line.split('|')[1]! : '';
    for (const match of firstCell.matchAll(/`(seismo_[a-z0-9_*]+)`/g)) {
      const name = match[1]!;
      if (name.endsWith('*')) {
        prefixes.push(name.slice(0, -1));
      } else {
        names.add(name);
      }
    }
  }
  return { names, prefixes };
}

/** Names recorded by the Prometheus recording rules that ship with Seismo. */
export function recordedMetrics(): Set<string> {
  const names = new Set<string>();
  for (const file of filesIn('deploy/prometheus/rules', '.rules.yaml')) {
    for (const group of readYaml(file).groups) {
      for (const rule of group.rules) {
        if (rule.record) {
          names.add(rule.record);
        }
      }
    }
  }
  return names;
}

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/**
 * Seismo series names in a PromQL expression that neither docs/metrics.md nor the recording
 * rules define: a dashboard or rule over such a name would show nothing, silently.
 */
export function undocumentedMetrics(expr: string): string[] {
  const { names, prefixes } = documentedMetrics();
  const recorded = recordedMetrics();
  const unknown: string[] = [];
  // Label values in quotes (service="seismo_x") are not series names.
  const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const match of code.matchAll(/\bseismo[_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const base = HISTOGRAM_SUFFIXES.reduce((n, suffix) => (n.endsWith(suffix) ? n.slice(0, -suffix.length) : n), name);
    if (!names.has(name) && !names.has(base) && !recorded.has(name) && !prefixes.some((p) => name.startsWith(p))) {
      unknown.push(name);
    }
  }
  return unknown;
}

/** Grafana's variables replaced by values of the right kind, so that promtool can parse the query. */
export function withSampleVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}|\$__interval|\$\{__interval\}/g, '1m')
    .replace(/\$__range|\$\{__range\}/g, '1h')
    .replace(/\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?/g, 'x');
}

/**
 * Parses each expression with `promtool check rules` (as a recording rule) and returns the
 * problems promtool reports, each with the expression's label; empty when all parse.
 */
export function promtoolSyntaxProblems(exprs: Array<{ label: string; expr: string }>): string[] {
  if (exprs.length === 0) {
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'seismo-promql-'));
  const check = (rules: Array<{ expr: string }>, name: string) => {
    const file = join(dir, name);
    const doc = { groups: [{ name: 'check', rules: rules.map(({ expr }) => ({ record: 'check:expression', expr })) }] };
    writeFileSync(file, stringify(doc));
    const result = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
    if (result.error) {
      throw new Error(`could not run promtool (apt-get install prometheus): ${result.error.message}`);
    }
    return { ok: result.status === 0, output: (result.stdout + result.stderr).trim() };
  };
  try {
    // One run for all; only when it fails, one run per expression to name the culprits.
    if (check(exprs, 'all.yaml').ok) {
      return [];
    }
    return exprs.flatMap(({ label, expr }, i) => {
      const { ok, output } = check([{ expr }], `expr-${i}.yaml`);
      return ok ? [] : [`${label}: ${output.split('\n').slice(-2).join(' ')}`];
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
