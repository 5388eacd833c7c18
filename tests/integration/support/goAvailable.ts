import { spawnSync } from 'node:child_process';

/** Whether the Go toolchain is on PATH. */
export function goAvailable(): boolean {
  return spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
}
