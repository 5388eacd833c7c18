/**
 * Load profiles and the open-loop load generator, as used by the mesh CLI's --load flag:
 *
 *   const { profile, durationSeconds } = await resolveLoadProfile(flagValue);
 *   const generator = new LoadGenerator({
 *     profile: createProfile(profile),
 *     entrypoints: topology.entrypoints,
 *     seed,
 *     durationSeconds: durationFlag ?? durationSeconds ?? 600,
 *     send: (entry, signal) => mesh.send(entry, signal),
 *   });
 *   process.once('SIGINT', () => generator.stop());
 *   const stats = await generator.run();
 */
export type {
  DiurnalSpec,
  LoadProfile,
  LoadProfileDocument,
  LoadProfileSpec,
  ProductSpec,
  SpikeSpec,
  SpikesSpec,
  SteadySpec,
} from './types.js';
export { createProfile } from './createProfile.js';
export { parseProfileString } from './parseProfileString.js';
export { parseProfileYaml } from './parseProfileYaml.js';
export { readProfileFile } from './readProfileFile.js';
export { resolveLoadProfile, SHIPPED_PROFILES_DIR } from './resolveLoadProfile.js';
export { validateProfileSpec, type SpecLocator, type SpecPath } from './validateProfileSpec.js';
export { ProfileSpecError } from './ProfileSpecError.js';
export { parseDuration } from './parseDuration.js';
export { generateArrivals, type Arrival, type ArrivalOptions } from './generateArrivals.js';
export { LatencyHistogram, type LatencySummary } from './LatencyHistogram.js';
export {
  LoadGenerator,
  type LoadClock,
  type LoadGeneratorOptions,
  type LoadStats,
  type Send,
  type SendResult,
} from './LoadGenerator.js';
