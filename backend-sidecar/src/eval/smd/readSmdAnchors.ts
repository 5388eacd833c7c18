import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Published reference scores for one machine (plain PCA and a uniform random score). */
export interface SmdAnchor {
  pcaF1: number;
  pcaAucPr: number;
  pcaF1PointAdjusted: number;
  randomF1: number;
  randomF1PointAdjusted: number;
}

/**
 * Reads `anchors/mts_baselines_pca_random.csv` of the benchmark folder, keyed by machine;
 * empty when the file is absent (a data folder given with --data may not have it).
 */
export async function readSmdAnchors(path: string): Promise<Map<string, SmdAnchor>> {
  const out = new Map<string, SmdAnchor>();
  if (!existsSync(path)) {
    return out;
  }
  const [header = '', ...lines] = (await readFile(path, 'utf8')).trim().split('\n');
  const names = header.split(',');
  for (const line of lines) {
    const cells = line.split(',');
    const get = (name: string): number => Number(cells[names.indexOf(name)]);
    if (cells[names.indexOf('dataset')] !== 'smd') {
      continue;
    }
    out.set(cells[names.indexOf('entity')] as string, {
      pcaF1: get('pca_F1_pointwise'),
      pcaAucPr: get('pca_AUCPR'),
      pcaF1PointAdjusted: get('pca_F1_PA'),
      randomF1: get('random_F1_pointwise'),
      randomF1PointAdjusted: get('random_F1_PA'),
    });
  }
  return out;
}
