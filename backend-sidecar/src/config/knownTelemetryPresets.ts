/**
 * The built-in adapter presets named in the design. The adapters module owns the presets
 * themselves; parseConfig takes the list as an option so it can pass its own registry.
 */
export const KNOWN_TELEMETRY_PRESETS: readonly string[] = Object.freeze([
  'istio',
  'obi',
  'tempo-servicegraph',
  'kubernetes',
  'coroot-node-agent',
]);
