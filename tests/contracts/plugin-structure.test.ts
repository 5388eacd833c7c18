import assert from 'node:assert/strict';
import { accessSync, constants, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { APP_ID, ROUTES } from '../../src/types.js';
import { checkPluginJson, findPlugins, type FoundPlugin } from './pluginJson.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const src = join(root, 'src');
const dist = join(root, 'dist');

const EXPECTED = new Map([
  ['', 'seismo-aiops-app'],
  ['datasource', 'seismo-anomaly-datasource'],
  ['panels/forecast', 'seismo-forecast-panel'],
  ['panels/temperature', 'seismo-temperature-panel'],
  ['panels/topology', 'seismo-topology-panel'],
]);

describe('plugin.json sources', () => {
  const plugins = findPlugins(src);
  const app = plugins.find((plugin) => plugin.folder === '')!;

  test('the app and its four nested plugins sit where the design puts them', () => {
    assert.deepEqual(new Map(plugins.map((plugin) => [plugin.folder, plugin.json.id])), EXPECTED);
  });

  test('every plugin.json follows Grafana rules', () => {
    assert.deepEqual(
      plugins.flatMap((plugin) => checkPluginJson(plugin, src)),
      []
    );
  });

  test('the app includes every nested plugin once, with its type and path', () => {
    const nested = plugins.filter((plugin) => plugin.folder !== '');
    const includes = (app.json.includes ?? []).filter((include) => include.type !== 'page');
    assert.deepEqual(
      includes.map((include) => [include.type, include.path]).sort(),
      nested.map((plugin) => [plugin.json.type, `${plugin.folder}/plugin.json`]).sort()
    );
  });

  test('the app declares its pages in the navigation: one per route of the app, plus configuration', () => {
    const pages = (app.json.includes ?? []).filter((include) => include.type === 'page');
    const appPages = pages.filter((page) => page.path!.startsWith('/a/'));
    assert.deepEqual(
      appPages.map((page) => page.path!.replace('/a/%PLUGIN_ID%/', '')).sort(),
      Object.values(ROUTES).sort()
    );
    assert.ok(
      pages.every((page) => page.addToNav),
      'every page is in the navigation'
    );
    assert.deepEqual(
      pages.filter((page) => page.defaultNav).map((page) => page.path),
      [`/a/%PLUGIN_ID%/${ROUTES.overview}`]
    );
    const config = pages.find((page) => page.path === '/plugins/%PLUGIN_ID%');
    assert.equal(config?.role, 'Admin', 'only admins change which datasource the app uses');
    assert.equal(app.json.id, APP_ID);
  });

  test('the nested datasource is alert-ready: backend, alerting and an executable', () => {
    const datasource = plugins.find((plugin) => plugin.json.type === 'datasource')!.json;
    assert.equal(datasource.backend, true);
    assert.equal(datasource.alerting, true);
    assert.match(datasource.executable ?? '', /^gpx_[a-z_]+$/);
  });

  test('only the datasource has a backend, so there is one Go binary', () => {
    assert.deepEqual(
      plugins.filter((plugin) => plugin.json.backend).map((plugin) => plugin.json.id),
      ['seismo-anomaly-datasource']
    );
  });

  test('every nested plugin has its own README', () => {
    for (const plugin of plugins.filter((p) => p.folder !== '')) {
      assert.ok(existsSync(join(src, plugin.folder, 'README.md')), `${plugin.folder}/README.md missing`);
    }
  });
});

describe('plugin.json rules catch mistakes', () => {
  const base: FoundPlugin = {
    folder: 'panels/x',
    json: {
      id: 'seismo-x-panel',
      type: 'panel',
      name: 'X',
      info: {
        keywords: ['x'],
        logos: { small: 'img/logo.svg', large: 'img/logo.svg' },
        version: '%VERSION%',
        updated: '%TODAY%',
      },
      dependencies: { grafanaDependency: '>=12.3.0' },
    },
  };
  const dir = mkdtempSync(join(tmpdir(), 'seismo-plugin-json-'));
  mkdirSync(join(dir, 'panels/x/img'), { recursive: true });
  writeFileSync(join(dir, 'panels/x/img/logo.svg'), '<svg/>');
  writeFileSync(join(dir, 'panels/x/module.ts'), '');
  const problems = (json: Record<string, unknown>) =>
    checkPluginJson({ ...base, json: { ...base.json, ...json } as never }, dir);

  test('a valid plugin.json has no problems', () => {
    assert.deepEqual(problems({}), []);
  });

  test('an id with two name segments or the wrong type suffix', () => {
    assert.match(problems({ id: 'seismo-x-y-panel' }).join(), /does not match <org>-<name>-<type>/);
    assert.match(problems({ id: 'seismo-x-app' }).join(), /does not end with its type "panel"/);
  });

  test('page includes: a path under the app, one default page, only in apps', () => {
    assert.match(
      problems({ type: 'app', id: 'seismo-x-app', includes: [{ type: 'page', name: 'P', path: '/a/other/p' }] }).join(),
      /is not \/a\/%PLUGIN_ID%\/<page>/
    );
    assert.match(
      problems({
        type: 'app',
        id: 'seismo-x-app',
        includes: [
          { type: 'page', name: 'A', path: '/a/%PLUGIN_ID%/a', defaultNav: true },
          { type: 'page', name: 'B', path: '/a/%PLUGIN_ID%/b', defaultNav: true },
        ],
      }).join(),
      /2 includes are defaultNav/
    );
    assert.match(
      problems({ includes: [{ type: 'page', name: 'P', path: '/a/%PLUGIN_ID%/p' }] }).join(),
      /only apps have pages/
    );
    assert.match(
      problems({ includes: [{ type: 'panel', name: 'P', path: 'x/plugin.json', addToNav: true }] }).join(),
      /only pages/
    );
  });

  test('alerting without backend, backend without executable, unknown keys, missing logo', () => {
    assert.match(problems({ alerting: true }).join(), /alerting requires backend: true/);
    assert.match(problems({ backend: true }).join(), /needs an executable name/);
    assert.match(problems({ backends: true }).join(), /unknown key "backends"/);
    assert.match(
      problems({ info: { ...base.json.info, logos: { small: 'img/missing.svg', large: 'img/logo.svg' } } }).join(),
      /logos.small "img\/missing.svg" is not an SVG file/
    );
  });

  test.after(() => rmSync(dir, { recursive: true, force: true }));
});

describe('dist/ after `npm run build` and `npm run build:backend`', () => {
  test('holds every plugin with its plugin.json, module, logos and README', () => {
    assert.ok(existsSync(join(dist, 'plugin.json')), 'dist/ is missing: run `npm run build` first');
    const built = findPlugins(dist);
    assert.deepEqual(new Map(built.map((plugin) => [plugin.folder, plugin.json.id])), EXPECTED);
    for (const plugin of built) {
      const folder = join(dist, plugin.folder);
      assert.ok(existsSync(join(folder, 'module.js')), `${plugin.folder || '.'}/module.js missing`);
      assert.ok(existsSync(join(folder, 'README.md')), `${plugin.folder || '.'}/README.md missing`);
      assert.ok(existsSync(join(folder, plugin.json.info.logos!.small!)), `${plugin.folder || '.'} logo missing`);
      assert.doesNotMatch(plugin.json.info.version ?? '', /%VERSION%/, 'version placeholder not replaced');
    }
  });

  test('holds the datasource backend executable for linux/amd64 beside its plugin.json', () => {
    const datasource = findPlugins(dist).find((plugin) => plugin.json.type === 'datasource')!;
    const binary = join(dist, datasource.folder, `${datasource.json.executable}_linux_amd64`);
    assert.ok(existsSync(binary), `${binary} missing: run \`npm run build:backend\``);
    accessSync(binary, constants.X_OK);
  });
});
