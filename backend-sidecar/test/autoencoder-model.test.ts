import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import {
  createNodeBackend,
  loadModel,
  ManifestError,
  ModelLoadError,
  ModelRegistry,
  ModelSlot,
  parseManifest,
  type LoadedModel,
} from '../src/detectors/autoencoder/index.js';

const GOLDEN = new URL('../models/golden/', import.meta.url);
const MODEL = readFileSync(new URL('model.onnx', GOLDEN));
const MANIFEST = readFileSync(new URL('manifest.json', GOLDEN), 'utf8');
const backend = createNodeBackend();
const root = mkdtempSync(join(tmpdir(), 'seismo-ae-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

type Json = Record<string, any>;
let dirs = 0;

/** A copy of the golden model directory, optionally with a changed manifest or ONNX file. */
function modelDir(edit: (m: Json) => void = () => {}, bytes: Buffer = MODEL, resign = false): string {
  const dir = mkdtempSync(join(root, `m${dirs++}-`));
  const manifest = JSON.parse(MANIFEST) as Json;
  if (resign) {
    // Describe the replaced file truthfully, so only the runtime can notice it is broken.
    manifest.onnx.sha256 = createHash('sha256').update(bytes).digest('hex');
    manifest.onnx.size_bytes = bytes.length;
  }
  edit(manifest);
  writeFileSync(join(dir, 'model.onnx'), bytes);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

async function refusal(promise: Promise<unknown>): Promise<ModelLoadError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ModelLoadError, `expected ModelLoadError, got ${String(error)}`);
    return error;
  }
  assert.fail('the model was accepted');
}

describe('parseManifest', () => {
  const golden = JSON.parse(MANIFEST) as Json;

  it('accepts the golden manifest and exposes what inference needs', () => {
    const m = parseManifest(golden, { scope: 'service' });
    assert.deepEqual(m.signals, ['latency_p95', 'request_rate', 'error_ratio']);
    assert.equal(m.windowLength, 8);
    assert.equal(m.stepSeconds, 60);
    assert.equal(m.error.reduction, 'mean_squared_error_over_signals_and_steps');
    assert.equal(m.calibration.quantiles.length, 101);
    assert.equal(
      m.baselines.checkout?.latency_p95?.center,
      golden.normalisation.per_entity.checkout.latency_p95.center
    );
  });

  const cases: Array<[string, (m: Json) => void, string, RegExp]> = [
    ['a missing required field', (m) => delete m.window.length, 'window.length', /is required/],
    ['a wrong type', (m) => (m.window.length = '8'), 'window.length', /must be integer/],
    ['an unknown property', (m) => (m.extra = 1), 'extra', /unexpected property/],
    [
      'a non-positive baseline scale',
      (m) => (m.normalisation.default.error_ratio.scale = 0),
      'normalisation.default.error_ratio.scale',
      /> 0/,
    ],
    ['a bad sha256', (m) => (m.onnx.sha256 = 'xyz'), 'onnx.sha256', /does not match/],
    ['an input shape disagreeing with the signals', (m) => (m.input.shape = [-1, 4, 8]), 'input.shape', /\[-1,3,8\]/],
    ['decreasing quantiles', (m) => m.calibration.quantiles.reverse(), 'calibration.quantiles', /strictly increasing/],
    ['an entity model without base', (m) => (m.entity = 'checkout'), 'training.base_model', /fine-tuned/],
    [
      'a scaled error without residual scales',
      (m) => (m.error.reduction = 'mean_absolute_scaled_residual'),
      'error.steps',
      /required/,
    ],
  ];
  for (const [what, edit, field, message] of cases) {
    it(`refuses ${what}, naming ${field}`, () => {
      const m = structuredClone(golden);
      edit(m);
      assert.throws(
        () => parseManifest(m, { scope: 'service' }),
        (error: unknown) => error instanceof ManifestError && error.field === field && message.test(error.message)
      );
    });
  }

  it('refuses non-canonical signal names for the sidecar but accepts them for benchmark data', () => {
    const m = structuredClone(golden);
    m.signals[0].name = 'col_1';
    for (const block of [m.normalisation.default, ...Object.values(m.normalisation.per_entity as Json)]) {
      block.col_1 = block.latency_p95;
      delete block.latency_p95;
    }
    m.normalisation.signal_floors = {};
    assert.throws(() => parseManifest(m, { scope: 'service' }), /unknown service signal "col_1"/);
    assert.deepEqual(parseManifest(m, { scope: null }).signals, ['col_1', 'request_rate', 'error_ratio']);
  });
});

describe('loadModel', () => {
  it('loads and probes the golden model', async () => {
    const model = await loadModel(modelDir(), { backend, scope: 'service' });
    assert.equal(model.manifest.modelId, 'golden-conv-ae');
    await model.session.release();
  });

  it('refuses a truncated ONNX file by its size', async () => {
    const error = await refusal(loadModel(modelDir(undefined, MODEL.subarray(0, 1000)), { backend, scope: 'service' }));
    assert.equal(error.problem, 'size');
    assert.match(error.message, /1000 bytes but the manifest says 3761/);
  });

  it('refuses a file whose sha256 differs from the manifest', async () => {
    const flipped = Buffer.from(MODEL);
    const at = flipped.length - 10;
    flipped[at] = (flipped[at] as number) ^ 0xff;
    const error = await refusal(loadModel(modelDir(undefined, flipped), { backend, scope: 'service' }));
    assert.equal(error.problem, 'sha256');
    assert.match(error.message, /corrupt or not the file the manifest describes/);
  });

  it('refuses a corrupt file even when the manifest vouches for it', async () => {
    const garbage = Buffer.from('not an onnx graph at all, just text'.repeat(20));
    const error = await refusal(loadModel(modelDir(undefined, garbage, true), { backend, scope: 'service' }));
    assert.equal(error.problem, 'onnx');
    assert.match(error.message, /onnxruntime-node cannot load model.onnx/);
  });

  it('refuses a truncated file even when the manifest vouches for it', async () => {
    const error = await refusal(
      loadModel(modelDir(undefined, MODEL.subarray(0, 2000), true), { backend, scope: 'service' })
    );
    assert.equal(error.problem, 'onnx');
  });

  it('refuses a graph whose tensor names differ from the manifest', async () => {
    const error = await refusal(
      loadModel(
        modelDir((m) => (m.input.name = 'x')),
        { backend, scope: 'service' }
      )
    );
    assert.equal(error.problem, 'contract');
    assert.match(error.message, /manifest names input "x"/);
  });

  it('refuses a manifest whose window the graph cannot run (probe batch)', async () => {
    const error = await refusal(
      loadModel(
        modelDir((m) => {
          m.window.length = 9;
          m.architecture.window = 9;
          m.input.shape = [-1, 3, 9];
          m.output.shape = [-1, 3, 9];
        }),
        { backend, scope: 'service' }
      )
    );
    assert.equal(error.problem, 'probe');
  });

  it('refuses a manifest that does not match the data, saying what differs', async () => {
    const error = await refusal(
      loadModel(modelDir(), {
        backend,
        scope: 'service',
        expect: { signals: ['request_rate', 'latency_p95', 'error_ratio'], windowLength: 32, stepSeconds: 15 },
      })
    );
    assert.equal(error.problem, 'mismatch');
    assert.match(
      error.message,
      /same signals in a different order \(first at position 0: model "latency_p95", data "request_rate"\)/
    );
    assert.match(error.message, /window\.length: model 8 steps, data 32 steps/);
    assert.match(error.message, /window\.step_seconds: model 60 s, data 15 s/);
  });

  it('names missing and unknown signals', async () => {
    const error = await refusal(
      loadModel(modelDir(), {
        backend,
        scope: 'service',
        expect: { signals: ['latency_p95', 'request_rate', 'cpu_usage'] },
      })
    );
    assert.match(error.message, /the data lacks \[error_ratio\]; the model does not know \[cpu_usage\]/);
  });

  it('reports a manifest that is not JSON', async () => {
    const dir = modelDir();
    writeFileSync(join(dir, 'manifest.json'), '{"format_version": 1,');
    const error = await refusal(loadModel(dir, { backend, scope: 'service' }));
    assert.equal(error.problem, 'manifest');
    assert.match(error.message, /manifest\.json is not valid JSON/);
  });

  it('reports a missing ONNX file', async () => {
    const dir = modelDir((m) => (m.onnx.file = 'other.onnx'));
    const error = await refusal(loadModel(dir, { backend, scope: 'service' }));
    assert.equal(error.problem, 'file');
    assert.match(error.message, /ONNX file other\.onnx does not exist/);
  });
});

describe('atomic model replacement', () => {
  it('keeps the previous good model when a replacement is refused, and swaps on success', async () => {
    const slot = new ModelSlot();
    const options = { backend, scope: 'service' as const };
    const first = await slot.replace(() =>
      loadModel(
        modelDir((m) => (m.model_id = 'first')),
        options
      )
    );
    const flipped = Buffer.from(MODEL);
    const at = flipped.length - 100;
    flipped[at] = (flipped[at] as number) ^ 0x01;
    const refusals: Array<[string, string, typeof options & { expect?: { signals: string[] } }]> = [
      ['truncated file', modelDir((m) => (m.model_id = 'truncated'), MODEL.subarray(0, 500)), options],
      [
        'corrupt file with a matching manifest',
        modelDir((m) => (m.model_id = 'corrupt'), Buffer.alloc(4000, 7), true),
        options,
      ],
      ['sha256 mismatch', modelDir((m) => (m.model_id = 'flipped'), flipped), options],
      ['invalid manifest', modelDir((m) => (m.signals = [])), options],
      [
        'manifest not matching the data',
        modelDir((m) => (m.model_id = 'other-data')),
        { ...options, expect: { signals: ['cpu_usage'] } },
      ],
    ];
    for (const [what, broken, opts] of refusals) {
      await assert.rejects(
        slot.replace(() => loadModel(broken, opts)),
        ModelLoadError,
        what
      );
      assert.equal(slot.current, first, `the previous model is still current after: ${what}`);
      assert.ok(slot.lastError instanceof ModelLoadError);
    }
    // The old session still runs.
    const lease = slot.lease();
    const out = await lease?.model.session.run('windows', new Float32Array(24), [1, 3, 8], 'reconstruction');
    lease?.release();
    assert.equal(out?.data.length, 24);

    const second = await slot.replace(() =>
      loadModel(
        modelDir((m) => (m.model_id = 'second')),
        options
      )
    );
    assert.equal(slot.current?.manifest.modelId, 'second');
    assert.equal(slot.lastError, null);
    assert.notEqual(second, first);
  });

  it('releases a replaced session only after the batches using it are done', async () => {
    const released: string[] = [];
    const fake = (id: string): LoadedModel =>
      ({
        directory: id,
        backend: 'fake',
        manifest: { modelId: id },
        session: { release: async () => void released.push(id) },
      }) as unknown as LoadedModel;
    const slot = new ModelSlot();
    await slot.replace(async () => fake('a'));
    const lease = slot.lease();
    await slot.replace(async () => fake('b'));
    assert.deepEqual(released, [], 'a is still leased');
    lease?.release();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(released, ['a']);
  });
});

describe('ModelRegistry', () => {
  const fineTuned = (entity: string) => (m: Json) => {
    m.model_id = `golden-${entity}`;
    m.entity = entity;
    m.training.base_model = {
      model_id: 'golden-conv-ae',
      onnx_sha256: m.onnx.sha256,
      frozen_encoder: true,
      normalisation: 'entity',
    };
  };

  it('serves an entity its own model and everyone else the shared one', async () => {
    const registry = new ModelRegistry({ backend, scope: 'service' });
    assert.equal(registry.lease('checkout'), null);
    await registry.loadBase(modelDir());
    await registry.loadEntityModel('checkout', modelDir(fineTuned('checkout')));
    const own = registry.lease('checkout');
    const shared = registry.lease('cart');
    assert.equal(own?.perEntity, true);
    assert.equal(own?.lease.model.manifest.modelId, 'golden-checkout');
    assert.equal(own?.lease.model.manifest.baseModel?.modelId, 'golden-conv-ae');
    assert.equal(shared?.perEntity, false);
    assert.equal(shared?.lease.model.manifest.modelId, 'golden-conv-ae');
    own?.lease.release();
    shared?.lease.release();
    await registry.unloadEntity('checkout');
    const after = registry.lease('checkout');
    assert.equal(after?.perEntity, false);
    after?.lease.release();
  });

  it('refuses a fine-tuned model as base, a shared model as an entity model, and the wrong entity', async () => {
    const registry = new ModelRegistry({ backend, scope: 'service' });
    let error = await refusal(registry.loadBase(modelDir(fineTuned('cart'))));
    assert.match(error.message, /fine-tuned for "cart"; load it as that entity's model/);
    await registry.loadBase(modelDir());
    error = await refusal(registry.loadEntityModel('cart', modelDir()));
    assert.match(error.message, /is a shared model, not one fine-tuned for "cart"/);
    error = await refusal(registry.loadEntityModel('cart', modelDir(fineTuned('checkout'))));
    assert.match(error.message, /fine-tuned for "checkout", not "cart"/);
    assert.equal(registry.status().entities.find((e) => e.entity === 'cart')?.modelId, null);
    const lease = registry.lease('cart');
    assert.equal(lease?.perEntity, false, 'cart keeps being served by the shared model');
    lease?.lease.release();
  });
});
