import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { resolvePresets } from './adapters/resolvePresets.js';
import { TelemetryReader } from './adapters/TelemetryReader.js';
import { ConfigError } from './config/ConfigError.js';
import { loadConfigFile } from './config/loadConfigFile.js';
import { exportTrainingData } from './export/exportTrainingData.js';
import { parseTimeArgument } from './export/parseTimeArgument.js';
import { createPrometheusClient } from './prometheus/createPrometheusClient.js';
import { CANONICAL_SIGNALS } from './signals/canonicalSignals.js';

const USAGE = `Usage: seismo-export-training --config FILE --from TIME --to TIME --out DIR [options]

Writes the canonical service signals the sidecar sees, one CSV per service, for training a model
on your own telemetry. It reads Prometheus exactly as the sidecar with that config does (presets,
rate window, step, source per signal), so the model learns the values it will later score.

  --config FILE      the sidecar's YAML config (Prometheus, presets, detection.stepSeconds)
  --from TIME        start: unix seconds, RFC 3339, or now-<duration> (e.g. now-6h)
  --to TIME          end (default now)
  --out DIR          directory for <service>.csv
  --service NAME     export only this service (repeatable)
  --signals LIST     comma-separated service signals in channel order (default: all canonical)
  -h, --help         show this help

Then, from backend-sidecar/training:
  /usr/bin/python3 -m seismo_training train --data NAME=DIR/NAME.csv ... --step-seconds STEP ...
`;

export async function main(argv: readonly string[], now: () => number = () => Date.now() / 1000): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string', short: 'c' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        service: { type: 'string', multiple: true },
        signals: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.config === undefined || values.from === undefined || values.out === undefined) {
    process.stderr.write(`--config, --from and --out are required\n\n${USAGE}`);
    return 2;
  }
  const known = Object.keys(CANONICAL_SIGNALS.service);
  const signals = values.signals === undefined ? known : values.signals.split(',').map((s) => s.trim());
  const unknown = signals.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    process.stderr.write(`--signals: unknown service signal(s) ${unknown.join(', ')}; known: ${known.join(', ')}\n`);
    return 2;
  }
  let start: number;
  let end: number;
  try {
    start = parseTimeArgument(values.from, now(), '--from');
    end = parseTimeArgument(values.to ?? 'now', now(), '--to');
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (!(end > start)) {
    process.stderr.write(`--to (${end}) must be after --from (${start})\n`);
    return 2;
  }
  let loaded;
  try {
    loaded = loadConfigFile(values.config, { env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${values.config}: invalid config:\n  ${error.lines().join('\n  ')}\n`);
      return 1;
    }
    throw error;
  }
  const { config } = loaded;
  const reader = new TelemetryReader({
    client: createPrometheusClient(config.prometheus),
    presets: resolvePresets({ builtin: config.telemetry.presets, files: config.telemetry.presetFiles }),
    windowSeconds: config.detection.rateWindowSeconds,
    concurrency: config.detection.maxConcurrentQueries,
  });
  const step = config.detection.stepSeconds;
  const summary = await exportTrainingData({
    read: (range) => reader.read(range),
    start: Math.floor(start / step) * step,
    end: Math.floor(end / step) * step,
    step,
    signals,
    maxPoints: Math.min(config.prometheus.maxPointsPerQuery, 10_000),
    outDir: values.out,
    ...(values.service !== undefined ? { services: values.service } : {}),
  });
  if (summary.services === 0) {
    process.stderr.write('no service had data in that range: check the range, the presets and the Prometheus URL\n');
    return 1;
  }
  process.stdout.write(
    `${summary.services} services, ${summary.rows} rows at ${step} s into ${values.out}\n` +
      Object.entries(summary.coverage)
        .map(([signal, share]) => `  ${signal.padEnd(24)} ${(share * 100).toFixed(1)}% present\n`)
        .join('')
  );
  return 0;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  process.exit(await main(process.argv.slice(2)));
}
