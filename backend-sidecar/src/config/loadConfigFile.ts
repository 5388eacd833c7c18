import { ConfigError } from './ConfigError.js';
import { describeFileError } from './describeFileError.js';
import { loadConfigText, type LoadConfigOptions } from './loadConfigText.js';
import { nodeFileSystem } from './nodeFileSystem.js';
import type { LoadedConfig } from './types.js';

/** Reads and validates the config file; every failure, unreadable file included, is a ConfigError. */
export function loadConfigFile(file: string, options: LoadConfigOptions = {}): LoadedConfig {
  let text: string;
  try {
    text = (options.files ?? nodeFileSystem).readText(file);
  } catch (error) {
    throw new ConfigError([
      { source: file, path: '', message: `cannot read the config file: ${describeFileError(error)}` },
    ]);
  }
  return loadConfigText(text, file, options);
}
