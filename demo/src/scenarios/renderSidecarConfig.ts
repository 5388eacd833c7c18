import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseDocument } from 'yaml';

/** The sidecar config the demo and the scenarios run with (timings for a seconds-long demo). */
export const DEMO_SIDECAR_CONFIG = fileURLToPath(new URL('../../config/sidecar.yaml', import.meta.url));

export interface SidecarRunSettings {
  readonly prometheusUrl: string;
  readonly apiPort: number;
  readonly tokenFile: string;
  readonly stateDir: string;
}

/** Keys holding paths, which the sidecar resolves against its config file's directory. */
const PATH_KEYS: ReadonlyArray<readonly string[]> = [['detection', 'modelDir']];

/**
 * The demo's sidecar config with the addresses and directories of one run filled in. Comments
 * of the base file are kept, so the written file still explains itself. The run's copy lives
 * elsewhere, so relative paths of the base file are made absolute.
 */
export function renderSidecarConfig(settings: SidecarRunSettings, basePath = DEMO_SIDECAR_CONFIG): string {
  const doc = parseDocument(readFileSync(basePath, 'utf8'));
  doc.setIn(['prometheus', 'url'], settings.prometheusUrl);
  doc.setIn(['api', 'host'], '127.0.0.1');
  doc.setIn(['api', 'port'], settings.apiPort);
  doc.setIn(['api', 'tokenFile'], settings.tokenFile);
  doc.setIn(['storage', 'stateDir'], settings.stateDir);
  for (const key of PATH_KEYS) {
    const value = doc.getIn(key);
    if (typeof value === 'string' && !isAbsolute(value)) {
      doc.setIn(key, resolve(dirname(basePath), value));
    }
  }
  return doc.toString();
}
