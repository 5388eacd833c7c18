import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { ROOT_CAUSE_CASE_FORMAT } from '../../rootcause/case/index.js';

import { convertNezha, NEZHA_CONVERTER_VERSION } from './convertNezha.js';

/** Files the conversion reads: metric folders and fault lists, not traces or logs. */
async function sourceFiles(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const top of ['rca_data', 'construct_data']) {
    const root = join(dataDir, top);
    if (!existsSync(root)) {
      continue;
    }
    for (const day of (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory())) {
      const dayDir = join(root, day.name);
      for (const f of await readdir(dayDir)) {
        if (f.endsWith('fault_list.json')) {
          out.push(join(dayDir, f));
        }
      }
      const metric = join(dayDir, 'metric');
      if (existsSync(metric)) {
        for (const f of await readdir(metric)) {
          out.push(join(metric, f));
        }
      }
    }
  }
  return out.sort();
}

/**
 * Where the evaluation reads cases from. A folder that already is a dataset in the generic
 * format (its index.json says so) is used as is; a Nezha layout is converted once into a cache
 * under the OS temp dir, keyed by the converter version and the source files' sizes and times,
 * so a changed file or converter rebuilds it and an unchanged one is reused.
 */
export async function prepareNezhaDataset(dataDir: string, log: (line: string) => void): Promise<string> {
  const index = join(dataDir, 'index.json');
  if (existsSync(index)) {
    const parsed = JSON.parse(await readFile(index, 'utf8')) as { format?: unknown };
    if (parsed.format === ROOT_CAUSE_CASE_FORMAT) {
      return dataDir;
    }
  }
  const hash = createHash('sha256').update(`converter ${NEZHA_CONVERTER_VERSION}\n`);
  for (const file of await sourceFiles(dataDir)) {
    const s = await stat(file);
    hash.update(`${relative(dataDir, file)} ${s.size} ${Math.floor(s.mtimeMs)}\n`);
  }
  const cacheRoot = join(tmpdir(), 'seismo-rootcause-cache');
  const target = join(cacheRoot, `nezha-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(target, 'index.json'))) {
    log(`nezha: using converted cases in ${target}`);
    return target;
  }
  // Convert into a private folder and rename at the end, so an interrupted run never leaves a
  // half-written cache that a later run would trust.
  const scratch = `${target}.tmp-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  log(`nezha: converting ${dataDir} into ${target}`);
  await convertNezha({ dataDir, outDir: scratch, log });
  try {
    await rename(scratch, target);
  } catch (error) {
    // Another run finished the same conversion first; theirs is identical.
    await rm(scratch, { recursive: true, force: true });
    if (!existsSync(join(target, 'index.json'))) {
      throw error;
    }
  }
  return target;
}
