import { dirname, resolve } from 'node:path';

import { LineCounter, parseDocument } from 'yaml';

import { ConfigError } from './ConfigError.js';
import type { ConfigFileSystem } from './ConfigFileSystem.js';
import { ConfigReader, type ReadContext } from './ConfigReader.js';
import { KNOWN_TELEMETRY_PRESETS } from './knownTelemetryPresets.js';
import { nodeFileSystem } from './nodeFileSystem.js';
import { readApi } from './readApi.js';
import { readDetection } from './readDetection.js';
import { readForecast } from './readForecast.js';
import { readIncidents } from './readIncidents.js';
import { readLog } from './readLog.js';
import { readPrometheus } from './readPrometheus.js';
import { readRootCause } from './readRootCause.js';
import { readSelection } from './readSelection.js';
import { readSharding } from './readSharding.js';
import { readStorage } from './readStorage.js';
import { readTelemetry } from './readTelemetry.js';
import type { SectionContext } from './SectionContext.js';
import type { ConfigIssue, SidecarConfig } from './types.js';

export interface ParseConfigOptions {
  /** The file name issues are reported against; relative paths resolve against its directory. */
  readonly file: string;
  /** Environment for the documented overrides; default: none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly files?: ConfigFileSystem;
  /** Built-in telemetry preset names; default: the design's list. */
  readonly knownPresets?: readonly string[];
  /** Receives every key path the validator knows (list items as "[]"); for documentation checks. */
  readonly knownKeys?: Set<string>;
}

function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  // Issues with a line come first in file order; file- and env-level ones keep their order after.
  const la = a.line ?? Number.POSITIVE_INFINITY;
  const lb = b.line ?? Number.POSITIVE_INFINITY;
  return la !== lb ? la - lb : (a.col ?? 0) - (b.col ?? 0);
}

/**
 * Validates the sidecar's YAML config and returns it typed, with defaults, absolute paths and
 * secrets read. Throws a ConfigError listing every problem, each with its key path and, where
 * the YAML has the key, file:line:col.
 */
export function parseConfig(text: string, options: ParseConfigOptions): SidecarConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // The structure after a syntax error is a guess; reporting keys from it would mislead.
    throw new ConfigError(
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { source: `${options.file}:${line}:${col}`, path: '(yaml)', message: error.message, line, col };
      })
    );
  }
  const ctx: ReadContext = {
    file: options.file,
    doc,
    lineCounter,
    issues: [],
    known: options.knownKeys ?? new Set<string>(),
  };
  const section: SectionContext = {
    baseDir: dirname(resolve(options.file)),
    env: options.env ?? {},
    files: options.files ?? nodeFileSystem,
    knownPresets: options.knownPresets ?? KNOWN_TELEMETRY_PRESETS,
  };

  const root = ConfigReader.root(ctx);
  const prometheus = readPrometheus(root.section('prometheus'), section);
  const telemetry = readTelemetry(root.section('telemetry'), section);
  const selection = readSelection(root.section('selection'));
  const detection = readDetection(root.section('detection'), section);
  const forecast = readForecast(root.section('forecast'), detection);
  const incidents = readIncidents(root.section('incidents'));
  const rootCause = readRootCause(root.section('rootCause'));
  const api = readApi(root.section('api'), section);
  const storage = readStorage(root.section('storage'), section);
  const sharding = readSharding(root.section('sharding'));
  const log = readLog(root.section('log'));
  root.finish();

  if (ctx.issues.length > 0) {
    throw new ConfigError([...ctx.issues].sort(byPosition));
  }
  return { prometheus, telemetry, selection, detection, forecast, incidents, rootCause, api, storage, sharding, log };
}
