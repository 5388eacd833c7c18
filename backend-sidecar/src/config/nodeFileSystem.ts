import { readFileSync, statSync } from 'node:fs';

import type { ConfigFileSystem } from './ConfigFileSystem.js';

/** The real file system. */
export const nodeFileSystem: ConfigFileSystem = Object.freeze({
  readText(path: string): string {
    return readFileSync(path, 'utf8');
  },
  kind(path: string): 'file' | 'directory' | 'missing' | 'other' {
    try {
      const stat = statSync(path);
      return stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
    } catch {
      return 'missing';
    }
  },
});
