import assert from 'node:assert/strict';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  createProfile,
  parseProfileString,
  parseProfileYaml,
  ProfileSpecError,
  readProfileFile,
  resolveLoadProfile,
  SHIPPED_PROFILES_DIR,
  type LoadProfileSpec,
} from '../src/load/index.js';

const grid = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let t = from; t <= to + 1e-9; t += step) {
    out.push(t);
  }
  return out;
};

describe('load profiles', () => {
  it('steady is constant from the start and zero before it', () => {
    const p = createProfile({ kind: 'steady', rps: 12.5 });
    for (const t of grid(0, 7200, 37)) {
      assert.equal(p.rateAt(t), 12.5);
    }
    assert.equal(p.rateAt(-1), 0);
    assert.equal(p.maxRate, 12.5);
  });

  it('diurnal peaks at phase + period/4 and bottoms out at phase + 3·period/4', () => {
    const spec: LoadProfileSpec = { kind: 'diurnal', base: 20, amplitude: 0.5, periodSeconds: 600, phaseSeconds: 60 };
    const p = createProfile(spec);
    assert.ok(Math.abs(p.rateAt(60) - 20) < 1e-9, 'mean level at the phase');
    assert.ok(Math.abs(p.rateAt(60 + 150) - 30) < 1e-9, 'peak = base·(1 + amplitude)');
    assert.ok(Math.abs(p.rateAt(60 + 450) - 10) < 1e-9, 'trough = base·(1 − amplitude)');
    assert.ok(Math.abs(p.rateAt(60 + 150 + 600) - 30) < 1e-9, 'one period later, the same peak');
    // The peak and trough found on a fine grid are where the formula says.
    const times = grid(0, 600, 0.5);
    const rates = times.map((t) => p.rateAt(t));
    assert.equal(times[rates.indexOf(Math.max(...rates))], 210);
    assert.equal(times[rates.indexOf(Math.min(...rates))], 510);
    assert.ok(Math.max(...rates) <= p.maxRate + 1e-9);
    assert.equal(p.maxRate, 30);
  });

  it('spikes multiply the base exactly within their windows', () => {
    const p = createProfile({
      kind: 'spikes',
      base: 4,
      spikes: [
        { startSeconds: 600, durationSeconds: 330, multiplier: 10 },
        { startSeconds: 120, durationSeconds: 90, multiplier: 3 },
      ],
    });
    const eps = 1e-6;
    assert.equal(p.rateAt(0), 4);
    assert.equal(p.rateAt(120 - eps), 4);
    assert.equal(p.rateAt(120), 12);
    assert.equal(p.rateAt(209.99), 12);
    assert.equal(p.rateAt(210), 4);
    assert.equal(p.rateAt(599.9), 4);
    assert.equal(p.rateAt(600), 40);
    assert.equal(p.rateAt(930 - eps), 40);
    assert.equal(p.rateAt(930), 4);
    assert.equal(p.rateAt(5000), 4);
    assert.equal(p.maxRate, 40);
    const inSpike = (t: number): number => (t >= 120 && t < 210 ? 3 : t >= 600 && t < 930 ? 10 : 1);
    for (const t of grid(0, 1200, 0.25)) {
      assert.equal(p.rateAt(t), 4 * inSpike(t), `t=${t}`);
    }
  });

  it('a product multiplies its factors (diurnal × spikes)', () => {
    const diurnal: LoadProfileSpec = { kind: 'diurnal', base: 10, amplitude: 0.4, periodSeconds: 300, phaseSeconds: 0 };
    const spikes: LoadProfileSpec = {
      kind: 'spikes',
      base: 1,
      spikes: [{ startSeconds: 100, durationSeconds: 50, multiplier: 5 }],
    };
    const p = createProfile({ kind: 'product', factors: [diurnal, spikes] });
    const d = createProfile(diurnal);
    for (const t of grid(0, 600, 1.5)) {
      const expected = d.rateAt(t) * (t >= 100 && t < 150 ? 5 : 1);
      assert.ok(Math.abs(p.rateAt(t) - expected) < 1e-9, `t=${t}`);
      assert.ok(p.rateAt(t) <= p.maxRate);
    }
    assert.equal(p.maxRate, 14 * 5);
  });

  it('rejects specs built in code with impossible values', () => {
    assert.throws(() => createProfile({ kind: 'steady', rps: -1 }), RangeError);
    assert.throws(
      () => createProfile({ kind: 'diurnal', base: 1, amplitude: 1, periodSeconds: 10, phaseSeconds: 0 }),
      /amplitude/
    );
    assert.throws(
      () => createProfile({ kind: 'diurnal', base: 1, amplitude: 0.1, periodSeconds: 0, phaseSeconds: 0 }),
      /period/
    );
    assert.throws(
      () =>
        createProfile({
          kind: 'spikes',
          base: 1,
          spikes: [
            { startSeconds: 0, durationSeconds: 10, multiplier: 2 },
            { startSeconds: 5, durationSeconds: 10, multiplier: 2 },
          ],
        }),
      /overlap/
    );
    assert.throws(() => createProfile({ kind: 'product', factors: [] }), /factor/);
  });
});

describe('compact profile strings', () => {
  it('parses each kind, durations with units and products', () => {
    assert.deepEqual(parseProfileString('steady:rps=20'), { kind: 'steady', rps: 20 });
    assert.deepEqual(parseProfileString('diurnal:base=20,amplitude=0.5,period=600'), {
      kind: 'diurnal',
      base: 20,
      amplitude: 0.5,
      periodSeconds: 600,
      phaseSeconds: 0,
    });
    assert.deepEqual(parseProfileString(' diurnal: base=20, amplitude=0.5, period=10m, phase=90s '), {
      kind: 'diurnal',
      base: 20,
      amplitude: 0.5,
      periodSeconds: 600,
      phaseSeconds: 90,
    });
    assert.deepEqual(parseProfileString('spikes:base=10,spike=2m+90x3,spike=600+5.5mx10'), {
      kind: 'spikes',
      base: 10,
      spikes: [
        { startSeconds: 120, durationSeconds: 90, multiplier: 3 },
        { startSeconds: 600, durationSeconds: 330, multiplier: 10 },
      ],
    });
    assert.deepEqual(parseProfileString('diurnal:base=20,amplitude=0.5,period=600*spikes:base=1,spike=60+30x4'), {
      kind: 'product',
      factors: [
        { kind: 'diurnal', base: 20, amplitude: 0.5, periodSeconds: 600, phaseSeconds: 0 },
        { kind: 'spikes', base: 1, spikes: [{ startSeconds: 60, durationSeconds: 30, multiplier: 4 }] },
      ],
    });
  });

  const cases: Array<[string, number, RegExp]> = [
    ['', 1, /empty/],
    ['stedy:rps=1', 1, /unknown profile kind "stedy"/],
    ['steady', 1, /missing "rps"/],
    ['steady:rps=fast', 12, /"rps" must be a number, got "fast"/],
    ['steady:rps=-3', 12, /"rps" must be >= 0/],
    ['steady:rps', 8, /expected key=value/],
    ['steady:rps=1,rps=2', 14, /given twice/],
    [
      'diurnal:base=20,amp=0.5,period=600',
      17,
      /unknown key "amp" for diurnal; allowed: base, amplitude, period, phase/,
    ],
    ['diurnal:base=20,amplitude=1.5,period=600', 27, /"amplitude" must be in \[0, 1\), got 1.5/],
    ['diurnal:base=20,amplitude=0.5,period=0', 38, /"period" must be > 0/],
    ['diurnal:base=20,amplitude=0.5,period=ten', 38, /"period" must be a duration/],
    ['spikes:base=5,spike=60-30x3', 21, /START\+DURATIONxMULTIPLIER/],
    ['spikes:base=5,spike=60+30x3,spike=70+10x2', 35, /spike 2 \(from 70s\) overlaps spike 1/],
    ['spikes:base=5,spike=60+30xbig', 27, /"multiplier" must be a number/],
    ['steady:rps=1*diurnal:base=1,amplitude=0.2', 14, /missing "period"/],
    ['product:factors=2', 1, /write a product as FACTOR\*FACTOR/],
  ];
  for (const [text, column, problem] of cases) {
    it(`rejects ${JSON.stringify(text)} at column ${column}`, () => {
      assert.throws(
        () => parseProfileString(text),
        (err: unknown) => {
          assert.ok(err instanceof ProfileSpecError);
          assert.equal(err.where, `load profile ${JSON.stringify(text)} at column ${column}`);
          assert.match(err.problem, problem);
          assert.ok(err.message.startsWith(err.where));
          return true;
        }
      );
    });
  }
});

describe('profile files', () => {
  const expectError = (text: string, line: number, column: number, problem: RegExp): void => {
    assert.throws(
      () => parseProfileYaml(text, 'profiles/bad.yaml'),
      (err: unknown) => {
        assert.ok(err instanceof ProfileSpecError, String(err));
        assert.equal(err.where, `profiles/bad.yaml:${line}:${column}`, err.message);
        assert.match(err.problem, problem);
        return true;
      }
    );
  };

  it('reads a complete file', () => {
    const doc = parseProfileYaml(
      [
        'name: lab',
        'description: spikes',
        'duration: 25m',
        'profile:',
        '  kind: spikes',
        '  base: 5',
        '  spikes:',
        '    - { start: 5m, duration: 90s, multiplier: 3 }',
      ].join('\n'),
      'lab.yaml'
    );
    assert.deepEqual(doc, {
      name: 'lab',
      description: 'spikes',
      durationSeconds: 1500,
      profile: { kind: 'spikes', base: 5, spikes: [{ startSeconds: 300, durationSeconds: 90, multiplier: 3 }] },
    });
  });

  it('names file, line and column of a bad value', () => {
    expectError(
      ['profile:', '  kind: diurnal', '  base: 20', '  amplitude: 1.2', '  period: 600'].join('\n'),
      4,
      14,
      /"amplitude" must be in \[0, 1\), got 1.2/
    );
  });

  it('points at an unknown key, not its value', () => {
    expectError(
      ['profile:', '  kind: steady', '  rps: 3', '  rsp: 4'].join('\n'),
      4,
      3,
      /unknown key "rsp" in steady profile; allowed: rps/
    );
    expectError(['profiel:', '  kind: steady'].join('\n'), 1, 1, /unknown key "profiel"/);
  });

  it('points into nested factors and spikes', () => {
    const text = [
      'profile:',
      '  kind: product',
      '  factors:',
      '    - { kind: steady, rps: 2 }',
      '    - kind: spikes',
      '      base: 1',
      '      spikes:',
      '        - { start: 60, duration: 30, multiplier: 2 }',
      '        - { start: 80, duration: 30, multiplier: 2 }',
    ].join('\n');
    expectError(text, 9, 11, /spike 2 \(from 80s\) overlaps spike 1 \(60s to 90s\)/);
    expectError(
      text.replace('multiplier: 2 }', 'multiplier: lots }'),
      8,
      50,
      /"multiplier" must be a number, got "lots"/
    );
    expectError(
      ['profile:', '  kind: product', '  factors:', '    - { kind: wobbly }'].join('\n'),
      4,
      15,
      /unknown profile kind "wobbly"/
    );
  });

  it('reports missing fields at the mapping that lacks them', () => {
    expectError(
      ['name: x', 'profile:', '  kind: diurnal', '  base: 3', '  amplitude: 0.1'].join('\n'),
      3,
      3,
      /missing "period"/
    );
    expectError('name: x\n', 1, 1, /missing "profile"/);
    expectError(['profile:', '  rps: 3'].join('\n'), 2, 3, /needs a "kind"/);
  });

  it('reports YAML syntax errors, wrong types and top-level problems with their line', () => {
    expectError(['profile:', '  kind: steady', '  rps: [1, 2'].join('\n'), 3, 13, /invalid YAML/);
    expectError(['profile:', '  kind: steady', '  kind: diurnal'].join('\n'), 3, 3, /invalid YAML/);
    expectError(['profile: 20'].join('\n'), 1, 10, /must be a mapping/);
    expectError('- 1\n- 2\n', 1, 1, /must be a mapping/);
    expectError(
      ['duration: soon', 'profile: { kind: steady, rps: 1 }'].join('\n'),
      1,
      11,
      /"duration" must be a positive duration/
    );
    expectError(
      ['profile:', '  kind: spikes', '  base: 1', '  spikes: 3'].join('\n'),
      4,
      11,
      /"spikes" must be a list/
    );
  });

  it('ships steady, diurnal and lab-transients profiles that load and evaluate', async () => {
    const files = (await readdir(SHIPPED_PROFILES_DIR)).filter((f) => f.endsWith('.yaml')).sort();
    for (const required of ['steady.yaml', 'diurnal.yaml', 'lab-transients.yaml']) {
      assert.ok(files.includes(required), `${required} is shipped`);
    }
    for (const file of files) {
      const doc = await readProfileFile(join(SHIPPED_PROFILES_DIR, file));
      const profile = createProfile(doc.profile);
      assert.ok(doc.durationSeconds !== undefined && doc.durationSeconds > 0, `${file} suggests a duration`);
      assert.ok(profile.maxRate > 0 && profile.rateAt(1) > 0, `${file} has load`);
    }
    const lab = createProfile((await resolveLoadProfile('lab-transients')).profile);
    assert.equal(lab.rateAt(60), 5);
    assert.equal(lab.rateAt(5 * 60 + 30), 15, '3x spike');
    assert.equal(lab.rateAt(12 * 60 + 60), 50, '10x spike');
    assert.equal(lab.rateAt(20 * 60), 5);
    const diurnal = createProfile((await resolveLoadProfile('diurnal')).profile);
    assert.ok(Math.abs(diurnal.rateAt(0) - 8) < 1e-9, 'starts at the trough');
    assert.ok(Math.abs(diurnal.rateAt(300) - 32) < 1e-9, 'peaks half-way through the compressed day');
  });

  it('resolves --load values: file path, compact string, shipped name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'profiles-'));
    const file = join(dir, 'mine.yaml');
    await writeFile(file, 'profile: { kind: steady, rps: 7 }\n');
    assert.deepEqual((await resolveLoadProfile(file)).profile, { kind: 'steady', rps: 7 });
    assert.deepEqual((await resolveLoadProfile('steady:rps=3')).profile, { kind: 'steady', rps: 3 });
    assert.deepEqual((await resolveLoadProfile('mine', { profilesDir: dir })).profile, { kind: 'steady', rps: 7 });
    await assert.rejects(resolveLoadProfile('lab-transiets'), /shipped: .*lab-transients/);
    await writeFile(join(dir, 'broken.yaml'), 'profile:\n  kind: steady\n  rps: many\n');
    await assert.rejects(resolveLoadProfile(join(dir, 'broken.yaml')), (err: unknown) => {
      assert.ok(err instanceof ProfileSpecError);
      assert.equal(err.where, `${join(dir, 'broken.yaml')}:3:8`);
      return true;
    });
  });
});
