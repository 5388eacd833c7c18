import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseNabTimestamp } from './parseNabTimestamp.js';
import type { NabCorpus, NabFile, NabProfile } from './types.js';

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function readCsv(path: string, name: string): { timestamps: number[]; values: number[] } {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines
    .shift()
    ?.split(',')
    .map((h) => h.trim());
  if (header?.[0] !== 'timestamp' || header[1] !== 'value') {
    throw new Error(`${name}: expected a "timestamp,value" header`);
  }
  const timestamps: number[] = [];
  const values: number[] = [];
  for (const line of lines) {
    const [t, v] = line.split(',');
    timestamps.push(parseNabTimestamp(t ?? ''));
    // Empty or unparsable values stay NaN: detectors must treat them as missing.
    values.push(v === undefined || v.trim() === '' ? Number.NaN : Number(v));
  }
  return { timestamps, values };
}

function parseProfiles(raw: unknown): NabProfile[] {
  if (typeof raw !== 'object' || raw === null) {
    throw new Error('profiles.json: expected an object');
  }
  return Object.entries(raw as Record<string, { CostMatrix?: Record<string, unknown> }>).map(([name, p]) => {
    const m = p.CostMatrix ?? {};
    const weight = (key: string) => {
      const v = m[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new Error(`profiles.json: ${name}.CostMatrix.${key} must be a number`);
      }
      return v;
    };
    return { name, tpWeight: weight('tpWeight'), fpWeight: weight('fpWeight'), fnWeight: weight('fnWeight') };
  });
}

/**
 * Reads a NAB v1 tree: `data/<category>/<file>.csv`, `labels/combined_windows.json` and
 * `config/profiles.json`. Files are returned sorted by name so runs are reproducible. Only
 * data files that the label file lists are part of the corpus, as in NAB.
 */
export function loadNabCorpus(root: string): NabCorpus {
  const windowsByFile = readJson(join(root, 'labels', 'combined_windows.json')) as Record<string, unknown>;
  const profiles = parseProfiles(readJson(join(root, 'config', 'profiles.json')));
  const files: NabFile[] = [];
  const dataDir = join(root, 'data');
  for (const category of readdirSync(dataDir).sort()) {
    let entries: string[];
    try {
      entries = readdirSync(join(dataDir, category));
    } catch {
      continue; // not a folder
    }
    for (const entry of entries.filter((e) => e.endsWith('.csv')).sort()) {
      const name = `${category}/${entry}`;
      const labelled = windowsByFile[name];
      if (labelled === undefined) {
        continue;
      }
      if (!Array.isArray(labelled)) {
        throw new Error(`combined_windows.json: ${name} must map to a list of windows`);
      }
      const windows = labelled.map((w: unknown) => {
        if (!Array.isArray(w) || w.length !== 2 || typeof w[0] !== 'string' || typeof w[1] !== 'string') {
          throw new Error(`combined_windows.json: ${name} has a window that is not [start, end]`);
        }
        return { start: parseNabTimestamp(w[0]), end: parseNabTimestamp(w[1]) };
      });
      files.push({ name, category, ...readCsv(join(dataDir, category, entry), name), windows });
    }
  }
  const missing = Object.keys(windowsByFile).filter((k) => !files.some((f) => f.name === k));
  if (missing.length > 0) {
    throw new Error(`labelled files missing from ${dataDir}: ${missing.slice(0, 3).join(', ')}`);
  }
  return { files, profiles };
}
