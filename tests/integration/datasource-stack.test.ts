import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { resolvePrometheusBinary } from '../../demo/src/prometheus/index.js';
import { CollectedCommand } from './support/CollectedCommand.js';
import { goAvailable } from './support/goAvailable.js';
import { readGoTestEvents } from './support/readGoTestEvents.js';
import { REPO_ROOT } from './support/repoRoot.js';
import { startDatasourceStack, type DatasourceStack } from './support/startDatasourceStack.js';

const GO_TEST = 'TestAgainstRealStack';

async function skipReason(): Promise<string | false> {
  if (!goAvailable()) {
    return 'the Go toolchain is not installed';
  }
  try {
    await resolvePrometheusBinary();
  } catch {
    return 'the prometheus binary is not installed';
  }
  return false;
}

/**
 * The Go datasource against the real stack: the demo mesh under load with a delay fault injected
 * through its control API, a real Prometheus and the sidecar process (startDatasourceStack). The Go
 * test (pkg/plugin/stack_contract_test.go) calls QueryData for every query type, CheckHealth and the
 * resources the app pages use through the datasource's public handlers and checks the answers
 * against docs/frames.md; each of its subtests is reported here. The test binary is compiled while
 * the stack warms up.
 */
test(
  'the datasource answers every query type, its health check and its resources from the real stack',
  { timeout: 300_000, skip: await skipReason() },
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'seismo-datasource-contract-'));
    const binary = join(dir, 'plugin.test');
    const log = (line: string) => t.diagnostic(line);
    let stack: DatasourceStack | undefined;
    let goRun: CollectedCommand | undefined;
    const compile = new CollectedCommand('go', ['test', '-c', '-o', binary, './pkg/plugin']);
    t.after(async () => {
      compile.kill();
      goRun?.kill();
      await stack?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const started = Date.now();
    stack = await startDatasourceStack({ log, loadSeconds: 300 });
    log(`stack ready after ${Math.round((Date.now() - started) / 1000)} s, incident ${stack.incidentId}`);
    await compile.succeeded();

    goRun = new CollectedCommand(
      'go',
      ['tool', 'test2json', '-t', binary, '-test.v', '-test.count=1', `-test.run=^${GO_TEST}$`],
      {
        cwd: join(REPO_ROOT, 'pkg', 'plugin'),
        env: {
          ...process.env,
          SEISMO_STACK_PROMETHEUS_URL: stack.prometheusUrl,
          SEISMO_STACK_SIDECAR_URL: stack.sidecarUrl,
          SEISMO_STACK_SIDECAR_TOKEN: stack.sidecarToken,
          SEISMO_STACK_INCIDENT_ID: stack.incidentId,
          SEISMO_STACK_FAULTED_EDGE: `${stack.faultedEdge.client}->${stack.faultedEdge.server}`,
          SEISMO_STACK_SERVICES: stack.services.join(','),
        },
      }
    );
    const result = await goRun.finished();
    const outcomes = readGoTestEvents(result.stdout);
    const top = outcomes.find((o) => o.test === GO_TEST);
    assert.ok(top !== undefined, `the Go test did not run:\n${result.stderr}${result.stdout.slice(-3000)}`);
    assert.notEqual(top.action, 'skip', `the Go test skipped itself:\n${top.output}`);

    const subtests = outcomes.filter((o) => o.test.startsWith(`${GO_TEST}/`));
    assert.ok(subtests.length >= 10, `every query type is a subtest (${subtests.length} ran)`);
    for (const sub of subtests) {
      await t.test(sub.test.slice(GO_TEST.length + 1), () => {
        assert.equal(sub.action, 'pass', sub.output);
      });
    }
    assert.equal(top.action, 'pass', top.output);
    assert.equal(result.code, 0, result.stderr);
  }
);
