/**
 * Extends the scaffolded webpack config (left untouched in .config/) for the nested plugins:
 * Grafana loads each nested plugin from its own folder, so each needs its logos and README
 * next to its plugin.json in dist/, not only the app's. Files a panel loads at run time (its
 * layout worker, onnxruntime-web's WebAssembly) are emitted into that panel's folder too, so
 * they come from the plugin itself, never from a CDN.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

// Globs on purpose: copy-webpack-plugin keeps the relative path only for glob sources, and a
// plain file path would land as dist/README.md over the app's own.
const NESTED_PLUGINS = '{datasource,panels/*}';
const NESTED_PLUGIN_ASSETS = [
  { from: `${NESTED_PLUGINS}/img/**`, to: '.' },
  { from: `${NESTED_PLUGINS}/README.md`, to: '.' },
];

// The CommonJS build of onnxruntime-web's WASM engine: unlike its ES module builds it does not
// refer to its own files through import.meta.url, which webpack would resolve at build time.
const ORT_WASM_BUILD = require.resolve('onnxruntime-web/wasm');
const ORT_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'].map((file) => ({
  from: path.join(path.dirname(ORT_WASM_BUILD), file),
  to: 'panels/forecast/ort/',
  // Shipped as built upstream: the minifier must not rewrite the engine's own loader.
  info: { minimized: true },
}));

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    entry: {
      // A plain worker script (not an AMD module): `new Worker()` runs it directly.
      'panels/topology/layoutWorker': {
        import: './panels/topology/layout/layoutWorker.ts',
        library: { type: 'self', name: 'seismoTopologyLayout' },
      },
    },
    resolve: { alias: { 'onnxruntime-web/wasm$': ORT_WASM_BUILD } },
    plugins: [new CopyWebpackPlugin({ patterns: [...NESTED_PLUGIN_ASSETS, ...ORT_FILES] })],
    // The WebAssembly engine is large by nature and loaded only when the window inspector opens.
    // That build keeps a `require` shim for Node, which it never reaches in a browser.
    ignoreWarnings: [{ module: /onnxruntime-web/, message: /Critical dependency: require function/ }],
    performance: { assetFilter: (file: string) => !/\.(wasm|map)$/.test(file) },
  });
};

export default config;
