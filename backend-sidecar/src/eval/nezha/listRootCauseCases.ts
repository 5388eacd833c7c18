import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Case folders of a dataset in the generic format, relative to `dir`: those listed in its
 * index.json when there is one, otherwise every folder below `dir` holding a case.json.
 */
export async function listRootCauseCases(dir: string): Promise<string[]> {
  const index = join(dir, 'index.json');
  if (existsSync(index)) {
    const parsed = JSON.parse(await readFile(index, 'utf8')) as { cases?: Array<{ path?: unknown }> };
    if (Array.isArray(parsed.cases)) {
      return parsed.cases.map((c) => String(c.path));
    }
  }
  const found: string[] = [];
  const walk = async (at: string) => {
    if (existsSync(join(at, 'case.json'))) {
      found.push(relative(dir, at));
      return;
    }
    for (const entry of await readdir(at, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        await walk(join(at, entry.name));
      }
    }
  };
  await walk(dir);
  return found.sort();
}
