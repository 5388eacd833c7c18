import { parseConfig, type SidecarConfig } from '../../backend-sidecar/src/config/index.js';
import { nodeFileSystem } from '../../backend-sidecar/src/config/nodeFileSystem.js';

export interface ContainerMounts {
  /** Files the container has (secrets), with their content. */
  files: Record<string, string>;
  /** Directories the container has (volumes). */
  directories: string[];
}

/**
 * Validates a sidecar config the way the sidecar does at start-up, for a config that runs in a
 * container: paths the container mounts exist there, not on this machine; any other path (the
 * model directory the image ships) is looked up in the source tree. Returns the typed config or
 * throws the sidecar's ConfigError listing every problem.
 */
export function validateContainerConfig(
  text: string,
  file: string,
  mounts: ContainerMounts,
  env: Record<string, string> = {}
): SidecarConfig {
  const inDirectory = (path: string) => mounts.directories.some((d) => path === d || path.startsWith(`${d}/`));
  return parseConfig(text, {
    file,
    env,
    files: {
      readText(path) {
        if (path in mounts.files) {
          return mounts.files[path]!;
        }
        if (inDirectory(path)) {
          throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
        }
        return nodeFileSystem.readText(path);
      },
      kind(path) {
        if (path in mounts.files) {
          return 'file';
        }
        return inDirectory(path) ? 'directory' : nodeFileSystem.kind(path);
      },
    },
  });
}
