import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { runEmbeddedDemo } from '../../src/embedded/runEmbeddedDemo.js';

const shipped = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The README's no-Docker demo, shortened: it must start the mesh and Prometheus, print live
 * per-service lines from Prometheus with the injected fault beside them, and stop everything it
 * started when its time is over.
 */
test(
  'the embedded demo shows live per-service telemetry from Prometheus and stops cleanly',
  { timeout: 120_000 },
  async () => {
    const out: string[] = [];
    const err: string[] = [];
    let unregistered = false;
    await runEmbeddedDemo({
      topologyPath: shipped('../../topologies/online-boutique.yaml'),
      scenarioPath: shipped('../../scenarios/shipping-delay.yaml'),
      load: 'steady:rps=10',
      seed: 3,
      durationSeconds: 25,
      intervalSeconds: 10,
      scrapeIntervalSeconds: 1,
      prometheusPort: 0,
      meshMetricsPort: 0,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      onShutdownRequest: () => () => {
        unregistered = true;
      },
    });

    const text = out.join('\n');
    const prometheusUrl = text.match(/Prometheus {4}(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    assert.ok(prometheusUrl, `no Prometheus URL in:\n${text}`);
    assert.match(text, /delay-frontend-shipping: delay on frontend->shippingservice/);
    const frontendRows = out.filter((line) => /^frontend\s/.test(line));
    assert.ok(frontendRows.length >= 1, `no table rows in:\n${text}`);
    const requestsPerSecond = Number(frontendRows.at(-1)!.trim().split(/\s+/)[1]);
    assert.ok(requestsPerSecond > 0, `frontend shows no traffic: ${frontendRows.at(-1)}`);

    assert.ok(unregistered, 'the shutdown handler was not unregistered');
    assert.match(err.join('\n'), /load: \d+ requests sent, \d+ ok, 0 errors/);
    const groundTruth = err.join('\n').match(/ground truth stays at (\S+)/)?.[1];
    assert.ok(groundTruth && existsSync(groundTruth), 'ground truth file missing');
    // Nothing it started is left listening.
    await assert.rejects(fetch(`${prometheusUrl}/-/ready`), 'Prometheus is still answering');
    assert.equal(readFileSync(groundTruth, 'utf8'), '', 'the delay starts at 60 s, after the run');
  }
);
