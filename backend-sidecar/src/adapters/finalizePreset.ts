import { CANONICAL_SIGNALS, type SignalScope } from '../signals/index.js';
import { PresetError, type PresetIssue } from './PresetError.js';
import type {
  IdentityEntry,
  Preset,
  PresetDocument,
  PresetIdentity,
  PresetSignal,
  SignalEntry,
  SourceLocation,
} from './types.js';
import { validateTemplate } from './validateTemplate.js';

/** Labels assumed when neither the signal nor the preset's defaults name them. */
const DEFAULT_LABELS = { service: 'service', client: 'client', server: 'server' } as const;

/**
 * Turns a complete document (a stand-alone file, or a file merged onto the preset it extends)
 * into a Preset: applies defaults, requires a query and the entity labels for every signal, and
 * checks each template's placeholders and brackets. Problems point at the line that caused them.
 */
export function finalizePreset(doc: PresetDocument, files: readonly string[]): Preset {
  const issues: PresetIssue[] = [];
  const issue = (where: SourceLocation, path: string, message: string): void => {
    issues.push({ file: where.file, line: where.line, column: where.column, path, message });
  };
  if (doc.source === undefined) {
    issue(doc.location, 'source', 'missing: name the telemetry source (e.g. "istio")');
  }
  const signals: PresetSignal[] = [];
  for (const [key, entry] of doc.signals) {
    if (entry === null) {
      continue;
    }
    const signal = finalizeSignal(key, entry, doc, issue);
    if (signal !== undefined) {
      signals.push(signal);
    }
  }
  if (doc.signals.size === 0 || [...doc.signals.values()].every((e) => e === null)) {
    issue(doc.location, 'signals', 'the preset defines no signals');
  }
  const identity =
    doc.identity === undefined || doc.identity === null ? undefined : finalizeIdentity(doc.identity, doc, issue);
  if (issues.length > 0) {
    throw new PresetError(issues);
  }
  const scopeOrder = (s: PresetSignal): number => (s.canonical ? (s.scope === 'service' ? 0 : 1) : 2);
  signals.sort((a, b) => scopeOrder(a) - scopeOrder(b));
  return {
    source: doc.source as string,
    description: doc.description ?? '',
    references: doc.references ?? [],
    files,
    signals,
    ...(identity !== undefined ? { identity } : {}),
  };
}

function finalizeIdentity(
  entry: IdentityEntry,
  doc: PresetDocument,
  issue: (where: SourceLocation, path: string, message: string) => void
): PresetIdentity | undefined {
  if (entry.query === undefined) {
    issue(entry.location, 'identity.query', 'missing: the identity needs one PromQL template');
    return undefined;
  }
  if (entry.service === undefined) {
    issue(entry.location, 'identity.service', 'missing: name the result label that holds the service');
    return undefined;
  }
  const query = entry.query;
  const queryAt = entry.queryLocation ?? entry.location;
  let ok = true;
  for (const problem of validateTemplate(query)) {
    issue(locate(queryAt, entry.queryIsBlock === true, query, problem.offset), 'identity.query', problem.message);
    ok = false;
  }
  if (!new RegExp(`\\b${entry.service}\\b`).test(query)) {
    issue(queryAt, 'identity.query', `the template never mentions its service label "${entry.service}"`);
    ok = false;
  }
  const usesSelector = query.includes('${selector}');
  const selectorLabel = usesSelector ? doc.defaults.namespaceLabel : undefined;
  if (usesSelector && selectorLabel === undefined) {
    issue(queryAt, 'identity.query', 'the template uses ${selector} but defaults.namespaceLabel is not set');
    ok = false;
  }
  if (!ok) {
    return undefined;
  }
  return {
    query,
    serviceLabel: entry.service,
    namespaceLabel: entry.namespace,
    labelPrefix: entry.labelPrefix ?? '',
    selectorLabel,
    location: entry.location,
  };
}

function finalizeSignal(
  key: string,
  entry: SignalEntry,
  doc: PresetDocument,
  issue: (where: SourceLocation, path: string, message: string) => void
): PresetSignal | undefined {
  const [group, name] = key.split('.') as [string, string];
  const canonical = group !== 'extra';
  const path = canonical ? `signals.${group}.${name}` : `extraSignals.${name}`;
  let scope: SignalScope;
  let unit: string;
  let description: string;
  if (canonical) {
    scope = group as SignalScope;
    const spec = CANONICAL_SIGNALS[scope][name as keyof (typeof CANONICAL_SIGNALS)[typeof scope]];
    unit = spec.unit;
    description = spec.description;
  } else {
    if (entry.scope === undefined || entry.unit === undefined || entry.description === undefined) {
      issue(entry.location, path, 'an extra signal needs scope (service or edge), unit and description');
      return undefined;
    }
    scope = entry.scope;
    unit = entry.unit;
    description = entry.description;
  }
  if (entry.query === undefined) {
    issue(entry.location, `${path}.query`, 'missing: every signal needs one PromQL template');
    return undefined;
  }
  const query = entry.query;
  const labels = { ...DEFAULT_LABELS, ...doc.defaults.labels, ...entry.labels };
  const queryAt = entry.queryLocation ?? entry.location;
  let ok = true;
  for (const problem of validateTemplate(query)) {
    issue(locate(queryAt, entry.queryIsBlock === true, query, problem.offset), `${path}.query`, problem.message);
    ok = false;
  }
  // The declared entity labels must be produced by the template (a "by" clause or label_replace),
  // otherwise every result series would be dropped as unattributable.
  const needed = scope === 'service' ? [labels.service] : [labels.client, labels.server];
  for (const label of needed) {
    if (!new RegExp(`\\b${label}\\b`).test(query)) {
      issue(
        queryAt,
        `${path}.query`,
        `the template never mentions its entity label "${label}"; group by it or set labels`
      );
      ok = false;
    }
  }
  const usesSelector = query.includes('${selector}');
  const namespaceLabel = usesSelector ? (entry.namespaceLabel ?? doc.defaults.namespaceLabel) : undefined;
  if (usesSelector && namespaceLabel === undefined) {
    issue(
      queryAt,
      `${path}.namespaceLabel`,
      'the template uses ${selector} but no namespaceLabel is set (here or in defaults)'
    );
    ok = false;
  }
  if (!usesSelector && entry.namespaceLabel !== undefined) {
    issue(entry.location, `${path}.namespaceLabel`, 'set, but the template has no ${selector} to apply it');
    ok = false;
  }
  if (!ok) {
    return undefined;
  }
  return {
    scope,
    name,
    query,
    serviceLabel: labels.service,
    clientLabel: labels.client,
    serverLabel: labels.server,
    namespaceLabel,
    canonical,
    unit,
    description,
    location: entry.location,
  };
}

/** File position of a template offset: exact for literal blocks, the query's start otherwise. */
function locate(start: SourceLocation, block: boolean, query: string, offset: number): SourceLocation {
  if (!block) {
    return start;
  }
  const before = query.slice(0, offset);
  const line = before.split('\n').length - 1;
  const column = start.column + offset - (before.lastIndexOf('\n') + 1);
  return { file: start.file, line: start.line + line, column };
}
