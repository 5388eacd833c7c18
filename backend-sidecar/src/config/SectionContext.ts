import type { ConfigFileSystem } from './ConfigFileSystem.js';

/** What section readers need besides the YAML: where relative paths start, env, files. */
export interface SectionContext {
  /** Directory of the config file; relative paths in the file are resolved against it. */
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly files: ConfigFileSystem;
  /** Names of the built-in telemetry presets. */
  readonly knownPresets: readonly string[];
}
