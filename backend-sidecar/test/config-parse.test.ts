import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';

import { ConfigError } from '../src/config/ConfigError.js';
import { createServiceFilter } from '../src/config/createServiceFilter.js';
import { diffConfig } from '../src/config/diffConfig.js';
import { parseConfig, type ParseConfigOptions } from '../src/config/parseConfig.js';
import { redactConfig } from '../src/config/redactConfig.js';
import { restartRequiredChanges } from '../src/config/restartRequiredChanges.js';
import { Secret } from '../src/config/Secret.js';
import { shardOf } from '../src/config/shardOf.js';
import { suggestKey } from '../src/config/suggestKey.js';
import type { SidecarConfig } from '../src/config/types.js';

const dir = mkdtempSync(join(tmpdir(), 'seismo-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FILE = join(dir, 'cfg.yaml');
const URL_LINE = 'prometheus:\n  url: http://prometheus:9090\n';

function parse(text: string, options: Partial<ParseConfigOptions> = {}): SidecarConfig {
  return parseConfig(text, { file: FILE, env: {}, ...options });
}

/** The problem lines of an invalid config (fails the test when the config is valid). */
function problems(text: string, options: Partial<ParseConfigOptions> = {}): string[] {
  try {
    parse(text, options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.lines();
  }
  assert.fail('the config was accepted');
}

function secretFile(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('config: defaults and types', () => {
  it('fills every default from a config that only names Prometheus', () => {
    const c = parse(URL_LINE);
    assert.equal(c.prometheus.url, 'http://prometheus:9090');
    assert.equal(c.prometheus.auth, 'none');
    assert.equal(c.prometheus.timeoutSeconds, 30);
    assert.equal(c.prometheus.retries, 3);
    assert.equal(c.prometheus.maxPointsPerQuery, 11_000);
    assert.deepEqual(c.telemetry.presets, ['istio', 'obi', 'kubernetes']);
    assert.deepEqual(
      { ...c.detection, univariate: undefined },
      {
        intervalSeconds: 15,
        stepSeconds: 15,
        windowSteps: 60,
        modelDir: c.detection.modelDir,
        maxConcurrentQueries: 4,
        rateWindowSeconds: 60,
        warmupHistorySeconds: 21_600,
        staleAfterSteps: 3,
        externalClients: [],
        univariate: undefined,
        baselines: { windowSeconds: 86_400, refreshSeconds: 3600, stepSeconds: 300, minPoints: 48, prefer: 'model' },
      }
    );
    assert.equal(c.detection.univariate.window, 576);
    assert.equal(c.detection.univariate.seasonal, true);
    assert.equal(c.telemetry.ownerLabel, 'team');
    assert.equal(c.forecast.maxTargets, 200);
    assert.equal(c.rootCause.baselineSeconds, 3600);
    assert.match(c.detection.modelDir, /models$/);
    assert.equal(c.api.host, '127.0.0.1');
    assert.equal(c.api.port, 8080);
    assert.equal(c.api.token, null);
    assert.equal(c.incidents.openThreshold, 10);
    assert.equal(c.rootCause.lookbackSeconds, 900);
    assert.equal(c.forecast.forecaster.level, 0.95);
    assert.deepEqual(c.sharding, { index: 0, count: 1 });
    assert.equal(c.log.level, 'info');
  });

  it('resolves relative paths against the config file directory', () => {
    const c = parse(`${URL_LINE}storage:\n  stateDir: data/state\n`);
    assert.equal(c.storage.stateDir, join(dir, 'data/state'));
    assert.equal(parse(URL_LINE).storage.stateDir, join(dir, 'state'));
  });

  it('strips a trailing slash from the Prometheus URL and keeps a path prefix', () => {
    assert.equal(
      parse('prometheus:\n  url: https://mimir.example/prometheus/\n').prometheus.url,
      'https://mimir.example/prometheus'
    );
  });

  it('an empty file is valid when the URL comes from the environment', () => {
    const c = parse('', { env: { SEISMO_PROMETHEUS_URL: 'http://p:9090' } });
    assert.equal(c.prometheus.url, 'http://p:9090');
  });
});

describe('config: every problem names the key path and its position', () => {
  const cases: Array<[string, string, string]> = [
    [
      'a wrong type quotes the value',
      `${URL_LINE}detection:\n  intervalSeconds: "10s"\n`,
      'cfg.yaml:4:20: detection.intervalSeconds: must be a whole number of seconds >= 5, got "10s"',
    ],
    [
      'a value below its minimum',
      `${URL_LINE}detection:\n  windowSteps: 1\n`,
      'cfg.yaml:4:16: detection.windowSteps: must be a whole number between 2 and 10000, got 1',
    ],
    [
      'an unknown key gets the closest known key',
      `${URL_LINE}detection:\n  intervalSecond: 15\n`,
      'cfg.yaml:4:3: detection.intervalSecond: unknown key; did you mean "intervalSeconds"?',
    ],
    [
      'a key written without its unit suffix',
      `${URL_LINE}  timeout: 5\n`,
      'cfg.yaml:3:3: prometheus.timeout: unknown key; did you mean "timeoutSeconds"?',
    ],
    [
      'an unknown section',
      `${URL_LINE}detecton:\n  intervalSeconds: 15\n`,
      'cfg.yaml:3:1: detecton: unknown key; did you mean "detection"?',
    ],
    [
      'an unknown key with nothing close lists the known keys',
      `${URL_LINE}sharding:\n  zzz: 1\n`,
      'cfg.yaml:4:3: sharding.zzz: unknown key; known keys here: count, index',
    ],
    [
      'a misspelt preset',
      `${URL_LINE}telemetry:\n  presets: [istio, isito]\n`,
      'cfg.yaml:4:20: telemetry.presets[1]: unknown preset "isito"; did you mean "istio"? (built-in presets: istio, obi, tempo-servicegraph, kubernetes, coroot-node-agent)',
    ],
    [
      'an interval that is not a multiple of the step',
      `${URL_LINE}detection:\n  intervalSeconds: 20\n  stepSeconds: 15\n`,
      'cfg.yaml:4:20: detection.intervalSeconds: must be a multiple of detection.stepSeconds (15), got 20',
    ],
    [
      'a refit budget as long as the cycle',
      `${URL_LINE}forecast:\n  refitBudgetSecondsPerCycle: 15\n`,
      'cfg.yaml:4:31: forecast.refitBudgetSecondsPerCycle: must be less than detection.intervalSeconds (15), got 15',
    ],
    [
      'a shard index outside the shard count',
      `${URL_LINE}sharding:\n  index: 2\n  count: 2\n`,
      'cfg.yaml:4:10: sharding.index: must be below sharding.count (2), got 2',
    ],
    [
      'the incident engine validates its own section, reported at the key',
      `${URL_LINE}incidents:\n  openThreshold: 5\n  closeThreshold: 5\n`,
      'cfg.yaml:5:19: incidents.closeThreshold: must be < openThreshold (5 >= 5); equal values would let an incident flap',
    ],
    [
      'an unknown incident key gets a suggestion',
      `${URL_LINE}incidents:\n  openTreshold: 5\n`,
      'cfg.yaml:4:3: incidents.openTreshold: unknown key; did you mean "openThreshold"?',
    ],
    [
      'a nested forecaster option',
      `${URL_LINE}forecast:\n  forecaster:\n    band:\n      window: 0\n`,
      'cfg.yaml:6:15: forecast.forecaster.band.window: must be a positive integer (got 0)',
    ],
    [
      'a root-cause option',
      `${URL_LINE}rootCause:\n  clearDeviation: 1\n`,
      'cfg.yaml:4:19: rootCause.clearDeviation: must be a finite number > 1 (got 1)',
    ],
    [
      'a regex that does not compile',
      `${URL_LINE}selection:\n  include:\n    - service: {regex: "cart("}\n`,
      'cfg.yaml:5:16: selection.include[0].service: regex "cart(" does not compile: Invalid regular expression: /^(?:cart()$/u: Unterminated group',
    ],
    [
      'an empty selection rule',
      `${URL_LINE}selection:\n  exclude:\n    - {}\n`,
      'cfg.yaml:5:7: selection.exclude[0]: a rule needs at least one of namespace, service, labels',
    ],
    [
      'an open API on a network address',
      `${URL_LINE}api:\n  host: 0.0.0.0\n`,
      'cfg.yaml:4:9: api.host: listening on 0.0.0.0 without a token would open the API to the network: set api.tokenFile or SEISMO_API_TOKEN, listen on 127.0.0.1, or set api.allowUnauthenticated: true',
    ],
    [
      'TLS settings on a plain http URL',
      `${URL_LINE}  tls:\n    insecureSkipVerify: true\n`,
      'cfg.yaml:4:5: prometheus.tls: only applies to https:// URLs, but prometheus.url is http://',
    ],
    [
      'a missing URL inside an existing section points at the section',
      'prometheus:\n  retries: 1\n',
      'cfg.yaml:1:1: prometheus.url: required: the base URL of Prometheus, e.g. http://prometheus:9090 (or set SEISMO_PROMETHEUS_URL)',
    ],
    [
      'a file that is not a mapping',
      '- a\n- b\n',
      'cfg.yaml:1:1: the file must be a mapping of sections (prometheus:, detection:, ...), got a list',
    ],
    [
      'a YAML syntax error',
      `${URL_LINE}log:\n  level: info: x\n`,
      'cfg.yaml:4:10: (yaml): Nested mappings are not allowed in compact mappings',
    ],
    [
      'a duplicated key',
      `${URL_LINE}log:\n  level: info\n  level: debug\n`,
      'cfg.yaml:5:3: (yaml): Map keys must be unique',
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => {
      const lines = problems(text).map((line) => line.replace(`${FILE}:`, 'cfg.yaml:'));
      assert.ok(lines.includes(expected), `expected\n  ${expected}\namong\n  ${lines.join('\n  ')}`);
    });
  }

  it('a missing section is reported against the file', () => {
    assert.deepEqual(problems(''), [
      `${FILE}: prometheus.url: required: the base URL of Prometheus, e.g. http://prometheus:9090 (or set SEISMO_PROMETHEUS_URL)`,
    ]);
  });

  it('collects every problem of a file in one pass, in file order', () => {
    const lines = problems(
      [
        'prometheus:',
        '  url: http://p:9090',
        '  retries: -1',
        'detection:',
        '  stepSeconds: 0',
        'api:',
        '  port: 70000',
        'log:',
        '  level: loud',
      ].join('\n')
    );
    assert.deepEqual(
      lines.map((l) => l.replace(`${FILE}:`, '')),
      [
        '3:12: prometheus.retries: must be a whole number between 0 and 10, got -1',
        '5:16: detection.stepSeconds: must be a whole number of seconds >= 1, got 0',
        '7:9: api.port: must be a whole number between 0 and 65535, got 70000',
        '9:10: log.level: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      ]
    );
  });

  it('names files that a setting points to but that do not exist', () => {
    const lines = problems(`${URL_LINE}telemetry:\n  presetFiles: [mine.yaml]\ndetection:\n  modelDir: nowhere\n`);
    assert.ok(
      lines.includes(`${FILE}:4:17: telemetry.presetFiles[0]: ${join(dir, 'mine.yaml')} does not exist`),
      lines.join('\n')
    );
    assert.ok(
      lines.includes(`${FILE}:6:13: detection.modelDir: ${join(dir, 'nowhere')} does not exist`),
      lines.join('\n')
    );
  });

  it('client certificates need both files', () => {
    const cert = secretFile('client.crt', 'CERT');
    const lines = problems(`prometheus:\n  url: https://p:9090\n  tls:\n    certFile: ${cert}\n`);
    assert.ok(
      lines.some((l) => l.includes('prometheus.tls.keyFile: required for client certificates')),
      lines.join('\n')
    );
  });
});

describe('config: environment overrides', () => {
  it('SEISMO_PROMETHEUS_URL and SEISMO_API_PORT override the file', () => {
    const c = parse(`${URL_LINE}api:\n  port: 8080\n`, {
      env: { SEISMO_PROMETHEUS_URL: 'https://other:9443/', SEISMO_API_PORT: '9191' },
    });
    assert.equal(c.prometheus.url, 'https://other:9443');
    assert.equal(c.api.port, 9191);
  });

  it('an empty variable counts as unset', () => {
    assert.equal(parse(URL_LINE, { env: { SEISMO_PROMETHEUS_URL: '', SEISMO_API_PORT: '' } }).api.port, 8080);
  });

  it('a bad variable is reported as coming from the environment', () => {
    assert.deepEqual(problems(URL_LINE, { env: { SEISMO_API_PORT: 'eighty' } }), [
      'env SEISMO_API_PORT: api.port: must be a whole number between 0 and 65535, got "eighty"',
    ]);
  });

  it('secrets come from the environment and win over files', () => {
    const file = secretFile('pw-file', 'from-file\n');
    const text = `prometheus:\n  url: http://p:9090\n  auth: basic\n  user: grafana\n  passwordFile: ${file}\n`;
    assert.equal(parse(text).prometheus.password?.reveal(), 'from-file');
    assert.equal(
      parse(text, { env: { SEISMO_PROMETHEUS_PASSWORD: 'from-env' } }).prometheus.password?.reveal(),
      'from-env'
    );
    const bearer = parse('prometheus:\n  url: http://p:9090\n  auth: bearer\n', {
      env: { SEISMO_PROMETHEUS_BEARER_TOKEN: 'bearer-from-env' },
    });
    assert.equal(bearer.prometheus.bearerToken?.reveal(), 'bearer-from-env');
    const api = parse(URL_LINE, { env: { SEISMO_API_TOKEN: 'api-token-from-env-123' } });
    assert.equal(api.api.token?.reveal(), 'api-token-from-env-123');
  });

  it('a token makes a network address acceptable', () => {
    const c = parse(`${URL_LINE}api:\n  host: 0.0.0.0\n`, { env: { SEISMO_API_TOKEN: 'a-long-enough-token' } });
    assert.equal(c.api.host, '0.0.0.0');
    assert.equal(parse(`${URL_LINE}api:\n  host: 0.0.0.0\n  allowUnauthenticated: true\n`).api.token, null);
  });
});

describe('config: secrets', () => {
  it('reads secret files and drops one trailing newline', () => {
    secretFile('token', 'token-with-newline-1234\r\n');
    assert.equal(parse(`${URL_LINE}api:\n  tokenFile: token\n`).api.token?.reveal(), 'token-with-newline-1234');
  });

  it('reports a missing or empty secret file by path only', () => {
    const empty = secretFile('empty-token', '\n');
    assert.ok(
      problems(`${URL_LINE}api:\n  tokenFile: ${empty}\n`).includes(`${FILE}:4:14: api.tokenFile: ${empty} is empty`)
    );
    assert.ok(
      problems(`${URL_LINE}api:\n  tokenFile: missing-token\n`).includes(
        `${FILE}:4:14: api.tokenFile: cannot read ${join(dir, 'missing-token')}: no such file`
      )
    );
  });

  it('requires the credentials the auth mode needs', () => {
    const lines = problems('prometheus:\n  url: http://p:9090\n  auth: basic\n');
    assert.ok(
      lines.some((l) => l.endsWith('prometheus.user: required when auth is basic')),
      lines.join('\n')
    );
    assert.ok(
      lines.some((l) =>
        l.endsWith('prometheus.passwordFile: required when auth is basic (or set SEISMO_PROMETHEUS_PASSWORD)')
      ),
      lines.join('\n')
    );
  });

  it('never echoes a secret in an error message', () => {
    const inline = problems(`${URL_LINE}  password: hunter2-inline\napi:\n  token: inline-api-token-value\n`);
    assert.ok(
      inline.includes(
        `${FILE}:3:3: prometheus.password: secrets are not accepted in the config file; use passwordFile or SEISMO_PROMETHEUS_PASSWORD`
      )
    );
    assert.ok(inline.some((l) => l.includes('api.token: secrets are not accepted')));
    const inUrl = problems('prometheus:\n  url: http://admin:hunter2-url@p:9090\n');
    const headers = problems(`${URL_LINE}  headers:\n    X-Scope-OrgID: [hunter2-header]\n`);
    const shortToken = problems(URL_LINE, { env: { SEISMO_API_TOKEN: 'hunter2-short' } });
    assert.deepEqual(shortToken, [
      'env SEISMO_API_TOKEN: api.token: the API token must be at least 16 characters long',
    ]);
    const all = [...inline, ...inUrl, ...headers, ...shortToken].join('\n');
    for (const secret of [
      'hunter2-inline',
      'inline-api-token-value',
      'hunter2-url',
      'hunter2-header',
      'hunter2-short',
    ]) {
      assert.ok(!all.includes(secret), `"${secret}" leaked into:\n${all}`);
    }
    assert.ok(
      inUrl.some((l) => l.includes('prometheus.url: must not contain credentials')),
      inUrl.join('\n')
    );
  });

  it('Secret prints, serialises and inspects as redacted', () => {
    const s = new Secret('s3cr3t-value');
    assert.equal(String(s), '<redacted>');
    assert.equal(JSON.stringify({ s }), '{"s":"<redacted>"}');
    assert.ok(!inspect({ s }).includes('s3cr3t'));
    assert.equal(s.reveal(), 's3cr3t-value');
  });

  it('redactConfig leaves no secret value in the config', () => {
    const file = secretFile('pw', 'prom-password-value');
    const c = parse(
      `prometheus:\n  url: http://p:9090\n  auth: basic\n  user: u\n  passwordFile: ${file}\n  headers:\n    X-Scope-OrgID: tenant-secret-value\n`,
      { env: { SEISMO_API_TOKEN: 'api-token-value-123456' } }
    );
    const dump = JSON.stringify(redactConfig(c));
    for (const secret of ['prom-password-value', 'tenant-secret-value', 'api-token-value-123456']) {
      assert.ok(!dump.includes(secret), `${secret} in ${dump}`);
    }
    const redacted = redactConfig(c) as { prometheus: Record<string, unknown>; api: Record<string, unknown> };
    assert.equal(redacted.prometheus.password, '<redacted>');
    assert.deepEqual(redacted.prometheus.headers, { 'X-Scope-OrgID': '<redacted>' });
    assert.equal(redacted.api.token, '<redacted>');
    assert.equal(redacted.prometheus.passwordFile, file);
  });
});

describe('config: comparisons', () => {
  it('diffConfig lists changed paths, comparing secrets by value', () => {
    const a = parse(URL_LINE, { env: { SEISMO_API_TOKEN: 'first-token-123456' } });
    const b = parse(`${URL_LINE}detection:\n  windowSteps: 30\napi:\n  port: 9000\n`, {
      env: { SEISMO_API_TOKEN: 'second-token-12345' },
    });
    assert.deepEqual(diffConfig(a, b).sort(), ['api.port', 'api.token', 'detection.windowSteps']);
    assert.deepEqual(diffConfig(a, parse(URL_LINE, { env: { SEISMO_API_TOKEN: 'first-token-123456' } })), []);
    assert.deepEqual(restartRequiredChanges(a, b), ['api.port']);
  });

  it('suggestKey handles typos, swapped letters and missing unit suffixes', () => {
    assert.equal(suggestKey('windowStep', ['windowSteps', 'stepSeconds']), 'windowSteps');
    assert.equal(suggestKey('stpeSeconds', ['windowSteps', 'stepSeconds']), 'stepSeconds');
    assert.equal(suggestKey('expireAfter', ['include', 'expireAfterSeconds']), 'expireAfterSeconds');
    assert.equal(suggestKey('colour', ['include', 'expireAfterSeconds']), null);
  });
});

describe('config: service selection and sharding', () => {
  it('include and exclude rules match exactly or by anchored regex', () => {
    const c = parse(
      `${URL_LINE}selection:\n  include:\n    - namespace: shop\n    - service: {regex: "pay.*"}\n      labels: {team: payments}\n  exclude:\n    - service: shop-loadgen\n`
    );
    const monitored = createServiceFilter(c.selection, c.sharding);
    assert.equal(monitored({ namespace: 'shop', service: 'cart' }), true);
    assert.equal(monitored({ namespace: 'shop', service: 'shop-loadgen' }), false, 'excluded');
    assert.equal(monitored({ namespace: 'other', service: 'cart' }), false, 'not included');
    assert.equal(monitored({ namespace: 'bank', service: 'payments', labels: { team: 'payments' } }), true);
    assert.equal(
      monitored({ namespace: 'bank', service: 'payments', labels: { team: 'risk' } }),
      false,
      'label differs'
    );
    assert.equal(
      monitored({ namespace: 'bank', service: 'repay', labels: { team: 'payments' } }),
      false,
      'regex is anchored'
    );
  });

  it('no include rules means every service', () => {
    const c = parse(URL_LINE);
    assert.equal(createServiceFilter(c.selection, c.sharding)({ service: 'anything' }), true);
  });

  it('shards partition the services: each belongs to exactly one replica', () => {
    const services = Array.from({ length: 200 }, (_, i) => ({ namespace: 'ns', service: `svc-${i}` }));
    const filters = [0, 1, 2].map((index) => {
      const c = parse(`${URL_LINE}sharding:\n  index: ${index}\n  count: 3\n`);
      return createServiceFilter(c.selection, c.sharding);
    });
    const counts = [0, 0, 0];
    for (const s of services) {
      const owners = filters.map((f, i) => (f(s) ? i : -1)).filter((i) => i >= 0);
      assert.equal(owners.length, 1, `${s.service} owned by ${owners.join(',')}`);
      counts[owners[0] as number]! += 1;
    }
    assert.ok(
      counts.every((n) => n > 30),
      `unbalanced shards: ${counts.join(', ')}`
    );
    assert.equal(shardOf('ns/svc-1', 3), shardOf('ns/svc-1', 3));
  });
});
