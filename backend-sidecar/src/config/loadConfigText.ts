import { createHash } from 'node:crypto';

import { parseConfig, type ParseConfigOptions } from './parseConfig.js';
import type { LoadedConfig } from './types.js';

export interface LoadConfigOptions extends Omit<ParseConfigOptions, 'file'> {
  /** Milliseconds since the epoch; default Date.now. */
  readonly clock?: () => number;
}

/** Validates already-read file content; throws ConfigError. */
export function loadConfigText(text: string, file: string, options: LoadConfigOptions = {}): LoadedConfig {
  const config = parseConfig(text, { ...options, file });
  return {
    config,
    file,
    hash: createHash('sha256').update(text).digest('hex'),
    loadedAt: (options.clock ?? Date.now)(),
  };
}
