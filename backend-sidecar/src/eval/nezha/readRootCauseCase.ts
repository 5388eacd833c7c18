import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  caseFileName,
  CaseFormatError,
  parseCallGraph,
  parseCaseMeta,
  parseEdgeTables,
  parseSignalTable,
  type CasePeriod,
  type RootCauseCase,
} from '../../rootcause/case/index.js';

async function readPeriod(dir: string, services: readonly string[], required: boolean): Promise<CasePeriod | null> {
  if (!existsSync(dir)) {
    if (required) {
      throw new CaseFormatError(dir, 'folder is missing');
    }
    return null;
  }
  const period: CasePeriod = { services: {}, edges: [] };
  for (const s of services) {
    const file = join(dir, 'services', caseFileName(s));
    if (!existsSync(file)) {
      if (required) {
        throw new CaseFormatError(file, `missing: service "${s}" is listed in case.json`);
      }
      continue;
    }
    period.services[s] = parseSignalTable(await readFile(file, 'utf8'), file);
  }
  const edgesFile = join(dir, 'edges.csv');
  if (existsSync(edgesFile)) {
    period.edges = parseEdgeTables(await readFile(edgesFile, 'utf8'), edgesFile);
  }
  return period;
}

/** Reads one case folder of the generic root-cause format (docs/rootcause-case-format.md). */
export async function readRootCauseCase(dir: string): Promise<RootCauseCase> {
  const metaFile = join(dir, 'case.json');
  if (!existsSync(metaFile)) {
    throw new CaseFormatError(dir, 'has no case.json');
  }
  const meta = parseCaseMeta(await readFile(metaFile, 'utf8'), metaFile);
  const graphFile = join(dir, 'graph.csv');
  const graph = existsSync(graphFile) ? parseCallGraph(await readFile(graphFile, 'utf8'), graphFile) : [];
  const window = (await readPeriod(join(dir, 'window'), meta.services, true)) as CasePeriod;
  const baseline = await readPeriod(join(dir, 'baseline'), meta.services, false);
  return { meta, graph, window, baseline };
}
