import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { runEmbeddedDemo } from '../../src/embedded/runEmbeddedDemo.js';

const shipped = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The README's no-Docker demo, shortened: it must start the mesh, Prometheus and the sidecar,
 * print the sidecar's per-service verdicts each interval with the planned faults beside them, and
 * stop everything it started when its time is over.
 */
test(
  "the embedded demo shows the sidecar's live verdicts per service and stops cleanly",
  { timeout: 150_000 },
  async () => {
    const out: string[] = [];
    const err: string[] = [];
    let unregistered = false;
    await runEmbeddedDemo({
      topologyPath: shipped('../../topologies/online-boutique.yaml'),
      scenarioPath: shipped('../../scenarios/shipping-delay.yaml'),
      load: 'steady:rps=10',
      seed: 3,
      durationSeconds: 45,
      intervalSeconds: 10,
      scrapeIntervalSeconds: 1,
      prometheusPort: 0,
      meshMetricsPort: 0,
      sidecarPort: 0,
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
    const sidecarUrl = text.match(/sidecar {7}(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    assert.ok(sidecarUrl, `no sidecar URL in:\n${text}`);
    assert.match(text, /cycle [\d.]+ s, \d+ queries, Prometheus up; services: /, 'a status line per interval');
    const frontendRows = out.filter((line) => /^frontend\s/.test(line));
    assert.ok(frontendRows.length >= 1, `no service rows in:\n${text}`);
    // service, state, detector: every service has an explicit detector state.
    const [, state, detector] = frontendRows.at(-1)!.trim().split(/\s+/);
    assert.match(state ?? '', /^(ok|warmup|stale|unknown|fallback)$/, frontendRows.at(-1));
    assert.match(detector ?? '', /^(autoencoder|univariate|-)$/, frontendRows.at(-1));
    assert.match(text, /temperature [\d.-]+ \(opens at \d+\); no incident/);

    assert.ok(unregistered, 'the shutdown handler was not unregistered');
    assert.match(err.join('\n'), /load: \d+ requests sent, \d+ ok, 0 errors/);
    const workDir = err.join('\n').match(/the sidecar's log stay in (\S+)/)?.[1];
    assert.ok(workDir, `no work directory in:\n${err.join('\n')}`);
    const groundTruth = `${workDir}/ground-truth.jsonl`;
    assert.ok(existsSync(groundTruth), 'ground truth file missing');
    // Nothing it started is left listening.
    await assert.rejects(fetch(`${prometheusUrl}/-/ready`), 'Prometheus is still answering');
    await assert.rejects(fetch(`${sidecarUrl}/healthz`), 'the sidecar is still answering');
    assert.equal(readFileSync(groundTruth, 'utf8'), '', 'the delay starts at 60 s, after the run');
  }
);
