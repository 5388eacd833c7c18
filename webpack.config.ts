/**
 * Extends the scaffolded webpack config (left untouched in .config/) for the nested plugins:
 * Grafana loads each nested plugin from its own folder, so each needs its logos and README
 * next to its plugin.json in dist/, not only the app's.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
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

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return merge(baseConfig, {
    plugins: [new CopyWebpackPlugin({ patterns: NESTED_PLUGIN_ASSETS })],
  });
};

export default config;
