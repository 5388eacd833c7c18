/** The file access config validation needs; injected so tests can describe files without disk. */
export interface ConfigFileSystem {
  /** Throws a Node errno error (ENOENT, EACCES, EISDIR, ...) when the file cannot be read. */
  readText(path: string): string;
  kind(path: string): 'file' | 'directory' | 'missing' | 'other';
}
