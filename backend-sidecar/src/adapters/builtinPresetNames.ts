/** The presets shipped in presets/*.yaml, by source name. */
export const BUILTIN_PRESET_NAMES = Object.freeze([
  'istio',
  'obi',
  'tempo-servicegraph',
  'kubernetes',
  'coroot-node-agent',
] as const);

export type BuiltinPresetName = (typeof BUILTIN_PRESET_NAMES)[number];
