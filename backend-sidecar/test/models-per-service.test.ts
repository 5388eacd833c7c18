import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Registry } from 'prom-client';

import { ModelManager } from '../src/detection/ModelManager.js';
import { createNodeBackend, ModelRegistry } from '../src/detectors/autoencoder/index.js';
import { createDetectionMetrics } from '../src/publish/createDetectionMetrics.js';
import { buildTestApp } from './support/buildTestApp.js';
import { buildTestService, FAST_INCIDENTS } from './support/buildTestService.js';
import { FakePrometheus } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { meshEntities, meshValues } from './support/meshFixture.js';
import { runCycles } from './support/runCycles.js';

const GOLDEN = fileURLToPath(new URL('../models/golden', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'seismo-models-'));
after(() => rmSync(root, { recursive: true, force: true }));

type Json = Record<string, any>;

/** Writes the golden model into `dir`, its manifest edited. */
function writeModel(dir: string, edit: (m: Json) => void = () => {}): void {
  mkdirSync(dir, { recursive: true });
  cpSync(join(GOLDEN, 'model.onnx'), join(dir, 'model.onnx'));
  const manifest = JSON.parse(readFileSync(join(GOLDEN, 'manifest.json'), 'utf8')) as Json;
  edit(manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  // Each write must look changed to a check by modification time and size.
  const later = new Date(Date.now() + Math.floor(Math.random() * 1e6));
  utimesSync(join(dir, 'manifest.json'), later, later);
}

/** What `finetune` writes for one service. */
const fineTuned =
  (entity: string, id = `golden-${entity}`) =>
  (m: Json) => {
    m.model_id = id;
    m.entity = entity;
    m.training.base_model = {
      model_id: 'golden-conv-ae',
      onnx_sha256: m.onnx.sha256,
      frozen_encoder: true,
      normalisation: 'entity',
    };
    // Fine-tuning learns the service's own statistics.
    m.normalisation.per_entity = { [entity]: m.normalisation.per_entity.cart };
  };

function manager() {
  const registry = new ModelRegistry({ backend: createNodeBackend(), scope: 'service' });
  const prom = new Registry();
  const logs: string[] = [];
  const log = (_obj: object, msg: string) => logs.push(msg);
  const models = new ModelManager(registry, createDetectionMetrics(prom), { info: log, warn: log, error: log });
  return { registry, models, prom, logs };
}

describe('per-service models in the model directory', () => {
  it('loads every <modelDir>/<service>/ model that names its service, refuses bad ones, reloads on change', async () => {
    const dir = mkdtempSync(join(root, 'dir-'));
    writeModel(join(dir, 'default'));
    writeModel(join(dir, 'cart'), fineTuned('cart'));
    writeModel(join(dir, 'other-shared'), (m) => (m.model_id = 'another-shared-model'));
    writeModel(join(dir, 'checkout'), fineTuned('cart', 'misplaced'));
    mkdirSync(join(dir, 'broken'));
    writeFileSync(join(dir, 'broken', 'manifest.json'), '{ not json');
    const { registry, models, prom } = manager();

    await models.ensure(dir);
    assert.equal(registry.baseModel()?.manifest.modelId, 'golden-conv-ae');
    const status = new Map(models.entityModels().map((e) => [e.entity, e]));
    assert.deepEqual(
      [...status.keys()],
      ['broken', 'cart', 'checkout'],
      'shared models beside the base are not per-service'
    );
    assert.deepEqual([status.get('cart')?.modelId, status.get('cart')?.lastError], ['golden-cart', null]);
    assert.match(status.get('broken')?.lastError ?? '', /broken\/manifest.json is not valid JSON/);
    assert.match(
      status.get('checkout')?.lastError ?? '',
      /entity is "cart"; .*directory named after it \("checkout"\); move it to .*\/cart/
    );
    const own = registry.lease('cart');
    assert.equal(own?.perEntity, true);
    own?.lease.release();
    let metrics = await prom.metrics();
    assert.match(
      metrics,
      /^seismo_model_info\{model_id="golden-cart",kind="conv1d_autoencoder",entity="cart",data_source="synthetic"\} 1$/m
    );
    assert.match(
      metrics,
      /^seismo_model_info\{model_id="golden-conv-ae",kind="conv1d_autoencoder",entity="",data_source="synthetic"\} 1$/m
    );
    assert.match(metrics, /^seismo_model_loads_total\{result="refused"\} 2$/m);

    // Unchanged files are not loaded again.
    await models.ensure(dir);
    metrics = await prom.metrics();
    assert.match(metrics, /^seismo_model_loads_total\{result="success"\} 2$/m);

    // A bad replacement is refused and the model in service stays; a good one replaces it.
    writeModel(join(dir, 'cart'), (m) => {
      fineTuned('cart', 'golden-cart-2')(m);
      m.onnx.sha256 = '0'.repeat(64);
    });
    await models.ensure(dir);
    const refused = models.entityModels().find((e) => e.entity === 'cart');
    assert.equal(refused?.modelId, 'golden-cart');
    assert.match(refused?.lastError ?? '', /sha256/);
    writeModel(join(dir, 'cart'), fineTuned('cart', 'golden-cart-3'));
    await models.ensure(dir);
    assert.deepEqual(
      models.entityModels().find((e) => e.entity === 'cart'),
      { entity: 'cart', directory: join(dir, 'cart'), modelId: 'golden-cart-3', lastError: null }
    );

    // A directory that is gone takes its model out of service.
    rmSync(join(dir, 'cart'), { recursive: true });
    await models.ensure(dir);
    assert.equal(
      models.entityModels().find((e) => e.entity === 'cart'),
      undefined
    );
    const shared = registry.lease('cart');
    assert.equal(shared?.perEntity, false);
    shared?.lease.release();
    assert.doesNotMatch(await prom.metrics(), /entity="cart"/);
    await registry.close();
  });

  it('are reported in /api/v1/models and score their service in the loop', async () => {
    const dir = mkdtempSync(join(root, 'loop-'));
    writeModel(join(dir, 'default'));
    writeModel(join(dir, 'c'), (m) => {
      fineTuned('c')(m);
      // Statistics at the mesh fixture's levels.
      m.normalisation.per_entity = {
        c: {
          latency_p95: { center: 0.1, scale: 0.01 },
          request_rate: { center: 20, scale: 2 },
          error_ratio: { center: 0.01, scale: 0.002 },
        },
      };
    });
    writeModel(join(dir, 'b'), (m) => {
      fineTuned('b')(m);
      m.window.step_seconds = 30;
    });
    const clock = new ManualClock(1_700_000_001_000);
    const t = buildTestService({
      clock,
      prometheus: new FakePrometheus(meshEntities(), meshValues({ current: null })),
      yaml:
        `detection:\n  intervalSeconds: 60\n  stepSeconds: 60\n  windowSteps: 8\n  modelDir: ${dir}\n` +
        `  warmupHistorySeconds: 1800\n  baselines:\n    windowSeconds: 1800\n    stepSeconds: 60\n    minPoints: 10\n` +
        `${FAST_INCIDENTS}forecast:\n  enabled: false\n`,
    });
    await t.service.start();
    await t.service.ready;
    const app = buildTestApp(t, clock);
    const [cycle] = await runCycles(t, clock, 1);
    const c = cycle!.services.get('c')!;
    assert.deepEqual([c.state, c.modelId, c.perEntityModel], ['ok', 'golden-c', true]);
    // c's own model has statistics for c: they normalise its windows.
    assert.equal(c.baselineSource, 'model');
    assert.deepEqual(
      [cycle!.services.get('b')!.modelId, cycle!.services.get('b')!.perEntityModel],
      ['golden-conv-ae', false]
    );
    const body = (await app.inject('/api/v1/models')).json();
    assert.deepEqual(
      body.models.map((m: { modelId: string; entity: string | null }) => [m.modelId, m.entity]),
      [
        ['golden-conv-ae', null],
        ['golden-c', 'c'],
      ]
    );
    const b = body.perServiceModels.find((e: { entity: string }) => e.entity === 'b');
    assert.equal(b.modelId, null);
    assert.match(b.lastError, /step_seconds/);
    await app.close();
    await t.service.stop();
  });
});
