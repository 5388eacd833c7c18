// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

// Some ESM-only dependencies (d3-color through @grafana/data) resolve to .mjs files, which the
// scaffolded transform pattern does not cover; reuse the same swc transform for them.
const [, swcTransform] = Object.entries(base.transform)[0];

module.exports = {
  ...base,
  transform: { ...base.transform, '^.+\\.mjs$': swcTransform },
  // The panels use d3 modules beyond those @grafana/data pulls in; all of d3 v7 is ESM-only.
  transformIgnorePatterns: [
    nodeModulesToTransform([...grafanaESModules, 'd3-[a-z-]+', 'internmap', 'delaunator', 'robust-predicates']),
  ],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/', '<rootDir>/demo/', '<rootDir>/backend-sidecar/'],
};
