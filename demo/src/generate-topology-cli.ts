import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { downstreamCalls } from './topology/downstreamCalls.js';
import {
  DEFAULT_FAN_OUT,
  DEFAULT_MAX_EXPECTED_CALLS,
  generateTopology,
  MAX_GENERATED_SERVICES,
} from './topology/generateTopology.js';
import { topologyToYaml } from './topology/topologyToYaml.js';

const USAGE = `Usage: generate-topology --services N [options]

Writes a seeded synthetic topology (layered DAG: edge, mid tier, data services) as topology YAML.

Options:
  --services N            number of services, 1 to ${MAX_GENERATED_SERVICES} (required)
  --seed S                random seed (default 1); the same seed gives the same topology
  --fan-out F             mean number of services a non-leaf service calls (default ${DEFAULT_FAN_OUT})
  --namespaces K          number of namespaces (default grows with the number of services)
  --max-expected-calls B  bound on the mean downstream calls one request causes (default ${DEFAULT_MAX_EXPECTED_CALLS})
  --memory BYTES          memory all services together allocate (default 536870912)
  --name NAME             topology name (default synthetic-N-S)
  --out FILE              write to FILE instead of standard output
  --help                  show this help
`;

function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        services: { type: 'string' },
        seed: { type: 'string', default: '1' },
        'fan-out': { type: 'string' },
        namespaces: { type: 'string' },
        'max-expected-calls': { type: 'string' },
        memory: { type: 'string' },
        name: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.services === undefined) {
    process.stderr.write(`--services is required\n\n${USAGE}`);
    return 2;
  }
  const numberFlag = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) {
      return undefined;
    }
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) {
      throw new RangeError(`--${flag} must be a number, got "${text}"`);
    }
    return value;
  };
  try {
    const seed = numberFlag('seed', values.seed)!;
    const options = {
      services: numberFlag('services', values.services)!,
      seed,
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...optional('fanOut', numberFlag('fan-out', values['fan-out'])),
      ...optional('namespaces', numberFlag('namespaces', values.namespaces)),
      ...optional('maxExpectedCalls', numberFlag('max-expected-calls', values['max-expected-calls'])),
      ...optional('totalMemoryBytes', numberFlag('memory', values.memory)),
    };
    const topology = generateTopology(options);
    const calls = downstreamCalls(topology);
    const entry = topology.entrypoints.map((e) => calls.get(`${e.service}/${e.endpoint}`)!);
    const edges = new Set<string>();
    for (const s of topology.services.values()) {
      for (const e of s.endpoints.values()) {
        for (const c of e.calls) {
          edges.add(`${s.name}>${c.service}`);
        }
      }
    }
    const summary = [
      `${topology.services.size} services, ${edges.size} service edges, ${topology.entrypoints.length} entrypoints`,
      `downstream calls per entry request: mean over entrypoints ${mean(entry.map((c) => c.expected)).toFixed(1)}, ` +
        `max expected ${Math.max(...entry.map((c) => c.expected)).toFixed(1)} (bound ${options.maxExpectedCalls ?? DEFAULT_MAX_EXPECTED_CALLS}), ` +
        `max worst case ${Math.max(...entry.map((c) => c.worstCase))}`,
    ];
    const yaml = topologyToYaml(topology, {
      comment: `Synthetic topology from generate-topology ${describeOptions(options)}\n${summary.join('\n')}`,
    });
    if (values.out !== undefined) {
      writeFileSync(values.out, yaml);
      process.stderr.write(`wrote ${values.out}: ${summary.join('; ')}\n`);
    } else {
      process.stdout.write(yaml);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`generate-topology: ${(err as Error).message}\n`);
    return 1;
  }
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** The generation options as flags, without --out: the output path says nothing about the topology. */
function describeOptions(options: Record<string, unknown>): string {
  const flags: Record<string, string> = {
    services: '--services',
    seed: '--seed',
    fanOut: '--fan-out',
    namespaces: '--namespaces',
    maxExpectedCalls: '--max-expected-calls',
    totalMemoryBytes: '--memory',
    name: '--name',
  };
  return Object.entries(options)
    .map(([key, value]) => `${flags[key] ?? key} ${String(value)}`)
    .join(' ');
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}

process.exitCode = main(process.argv.slice(2));
