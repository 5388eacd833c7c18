import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  caseFileName,
  formatCallGraph,
  formatEdgeTables,
  formatSignalTable,
  type CasePeriod,
  type RootCauseCase,
} from '../../rootcause/case/index.js';

async function writePeriod(dir: string, period: CasePeriod): Promise<void> {
  await mkdir(join(dir, 'services'), { recursive: true });
  for (const [service, table] of Object.entries(period.services)) {
    await writeFile(join(dir, 'services', caseFileName(service)), formatSignalTable(table));
  }
  if (period.edges.length > 0) {
    await writeFile(join(dir, 'edges.csv'), formatEdgeTables(period.edges));
  }
}

/** Writes one case folder of the generic root-cause format; the inverse of readRootCauseCase. */
export async function writeRootCauseCase(dir: string, rootCase: RootCauseCase): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'case.json'), `${JSON.stringify(rootCase.meta, null, 2)}\n`);
  await writeFile(join(dir, 'graph.csv'), formatCallGraph(rootCase.graph));
  await writePeriod(join(dir, 'window'), rootCase.window);
  if (rootCase.baseline) {
    await writePeriod(join(dir, 'baseline'), rootCase.baseline);
  }
}
