import { readFileSync } from 'node:fs';
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

/**
 * The demo's sidecar config with the addresses and directories of one run filled in. Comments
 * of the base file are kept, so the written file still explains itself.
 */
export function renderSidecarConfig(settings: SidecarRunSettings, basePath = DEMO_SIDECAR_CONFIG): string {
  const doc = parseDocument(readFileSync(basePath, 'utf8'));
  doc.setIn(['prometheus', 'url'], settings.prometheusUrl);
  doc.setIn(['api', 'host'], '127.0.0.1');
  doc.setIn(['api', 'port'], settings.apiPort);
  doc.setIn(['api', 'tokenFile'], settings.tokenFile);
  doc.setIn(['storage', 'stateDir'], settings.stateDir);
  return doc.toString();
}
