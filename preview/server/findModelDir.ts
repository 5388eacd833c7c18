import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The directory below `modelsDir` whose manifest.json has `model_id` = `modelId`, as the sidecar
 * serves a loaded model's files; undefined when none does.
 */
export async function findModelDir(modelsDir: string, modelId: string): Promise<string | undefined> {
  const entries = await readdir(modelsDir, { withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isDirectory()) {
      continue;
    }
    const dir = join(modelsDir, entry.name);
    try {
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { model_id?: unknown };
      if (manifest.model_id === modelId) {
        return dir;
      }
    } catch {
      // not a model directory
    }
  }
  return undefined;
}
