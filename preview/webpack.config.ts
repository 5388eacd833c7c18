/**
 * Builds the preview host: a standalone page that provides Grafana's shared modules (React,
 * @grafana/data, @grafana/ui, @grafana/runtime, ...) the way Grafana does, and loads the built
 * plugin modules from dist/ through an AMD loader, so that the plugins run in a real browser
 * without a Grafana server.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';

/** Grafana's Inter font files, by the names @grafana/ui asks for, from the same font's npm package. */
const INTER_FONTS: Record<string, string> = {
  'Inter-Regular.woff2': 'inter-latin-400-normal.woff2',
  'Inter-Italic.woff2': 'inter-latin-400-italic.woff2',
  'Inter-Medium.woff2': 'inter-latin-500-normal.woff2',
  'Inter-MediumItalic.woff2': 'inter-latin-500-italic.woff2',
};

const config = (env: Record<string, unknown> = {}): Configuration => ({
  mode: env.production ? 'production' : 'development',
  context: __dirname,
  entry: { host: './src/host.tsx' },
  devtool: false,
  cache: { type: 'filesystem', name: 'seismo-preview' },
  output: {
    path: path.resolve(__dirname, 'build'),
    filename: '[name].js',
    clean: true,
  },
  resolve: {
    extensions: ['.js', '.jsx', '.ts', '.tsx', '.mjs'],
  },
  module: {
    rules: [
      // Grafana's ESM packages import extensionless paths (e.g. 'ol/geom') from .mjs files.
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: {
              target: 'es2020',
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'automatic' } },
            },
          },
        },
      },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(png|jpe?g|gif|svg|woff2?|eot|ttf|otf)$/, type: 'asset/resource' },
    ],
  },
  plugins: [
    new CopyWebpackPlugin({
      patterns: [
        { from: 'src/index.html', to: '.' },
        // Grafana serves icons and fonts under /public; @grafana/ui requests them from there.
        {
          from: path.dirname(require.resolve('@grafana/ui/package.json')) + '/dist/public/img',
          to: 'public/build/img',
        },
        // Grafana serves a spinner icon that @grafana/ui's package does not ship; the preview draws its own.
        { from: 'src/public/spinner.svg', to: 'public/build/img/icons/unicons/spinner.svg' },
        ...Object.entries(INTER_FONTS).map(([name, file]) => ({
          from: path.dirname(require.resolve('@fontsource/inter/package.json')) + `/files/${file}`,
          to: `public/fonts/inter/${name}`,
        })),
      ],
    }),
  ],
  performance: { hints: false },
});

export default config;
