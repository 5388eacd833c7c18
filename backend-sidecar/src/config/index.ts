/** The sidecar's configuration: validation, typed values, secrets, reloads and service selection. */
export { parseConfig } from './parseConfig.js';
export type { ParseConfigOptions } from './parseConfig.js';
export { loadConfigFile } from './loadConfigFile.js';
export { loadConfigText } from './loadConfigText.js';
export type { LoadConfigOptions } from './loadConfigText.js';
export { ConfigError } from './ConfigError.js';
export { ConfigStore } from './ConfigStore.js';
export type { ConfigChange, ConfigListener } from './ConfigStore.js';
export { ConfigWatcher } from './ConfigWatcher.js';
export type {
  ConfigWatcherOptions,
  ReloadResult,
  WatchDirectory,
  WatcherLogger,
  WatcherTimers,
} from './ConfigWatcher.js';
export { Secret } from './Secret.js';
export { redactConfig } from './redactConfig.js';
export { diffConfig } from './diffConfig.js';
export { restartRequiredChanges, RESTART_REQUIRED_KEYS } from './restartRequiredChanges.js';
export { createServiceFilter } from './createServiceFilter.js';
export type { ServiceIdentity } from './createServiceFilter.js';
export { shardOf } from './shardOf.js';
export { KNOWN_TELEMETRY_PRESETS } from './knownTelemetryPresets.js';
export { ENV as CONFIG_ENV } from './envNames.js';
export type { ConfigFileSystem } from './ConfigFileSystem.js';
export type * from './types.js';
export { createSelectionJudge, shardKey } from './createSelectionJudge.js';
export type { SelectionDecision, SelectionOverrideLists } from './createSelectionJudge.js';
