import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { runScenario } from '../../src/scenarios/runScenario.js';

const PROMETHEUS = '/usr/bin/prometheus';
const scenario = (name: string) => fileURLToPath(new URL(`../../scenarios/end-to-end/${name}.yaml`, import.meta.url));

/**
 * The end-to-end scenarios short enough for the test command (a few minutes each), run exactly as
 * `npm run scenario -- <name>` runs them and judged on their JSON result. The longer ones (every
 * fault scenario needs a four-minute warm-up before its fault) are run with `npm run scenario`;
 * docs/scenarios.md lists them with their last results.
 */
const FAST_SCENARIOS = ['invalid-config-reload'] as const;

for (const name of FAST_SCENARIOS) {
  test(
    `scenario ${name} passes end to end`,
    { timeout: 420_000, skip: existsSync(PROMETHEUS) ? false : `${PROMETHEUS} is not installed` },
    async (t) => {
      const progress: string[] = [];
      const result = await runScenario({ file: scenario(name), log: (line) => progress.push(line) });
      t.diagnostic(JSON.stringify(result));
      assert.equal(result.scenario, name);
      assert.deepEqual(result.failures, [], `progress:\n${progress.join('\n')}`);
      assert.equal(result.passed, true);
      assert.equal(result.incident, 'none');
      assert.equal(result.false_incidents, 0);
    }
  );
}
