import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node, type YAMLMap } from 'yaml';
import { CANONICAL_SIGNALS, type SignalScope } from '../signals/index.js';
import { PresetError, type PresetIssue } from './PresetError.js';
import type { EntityLabels, IdentityEntry, PresetDocument, SignalEntry, SourceLocation } from './types.js';

const TOP_KEYS = ['source', 'extends', 'description', 'references', 'defaults', 'signals', 'extraSignals', 'identity'];
const IDENTITY_KEYS = ['query', 'service', 'namespace', 'labelPrefix'];
const DEFAULT_KEYS = ['labels', 'namespaceLabel'];
const SIGNAL_KEYS = ['query', 'labels', 'namespaceLabel'];
const EXTRA_KEYS = ['scope', 'unit', 'description', ...SIGNAL_KEYS];
const LABEL_KEYS = ['service', 'client', 'server'];
const SOURCE_NAME = /^[a-z][a-z0-9-]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const EXTRA_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Reads a preset file into a PresetDocument, checking its structure: known keys, value types,
 * canonical signal names, label names. Template content is checked later, once bases and defaults
 * are applied. All problems are reported together as a PresetError with file, line and column.
 */
export function readPresetDocument(text: string, file: string): PresetDocument {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const issues: PresetIssue[] = [];
  const at = (node: Node | null | undefined): SourceLocation => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    return { file, line, column: col };
  };
  const sourceLines = text.split('\n');
  const indentOf = (line: number): number => /^[ \t]*/.exec(sourceLines[line - 1] ?? '')?.[0].length ?? 0;
  const issue = (node: Node | null | undefined, path: string, message: string): void => {
    const { line, column } = at(node);
    issues.push({ file, line, column, path, message });
  };

  for (const error of doc.errors) {
    const pos = error.linePos?.[0];
    issues.push({
      file,
      line: pos?.line ?? 0,
      column: pos?.col ?? 0,
      path: '',
      message: `YAML: ${error.message.split('\n')[0] ?? error.code}`,
    });
  }
  if (issues.length > 0) {
    throw new PresetError(issues);
  }
  const root = doc.contents;
  if (!isMap(root)) {
    issue(root, '', 'a preset must be a YAML mapping (source, signals, ...)');
    throw new PresetError(issues);
  }

  const top = entries(root, '', TOP_KEYS, issue);
  const source = optionalString(top.get('source'), 'source', issue);
  if (source !== undefined && !SOURCE_NAME.test(source)) {
    issue(
      top.get('source'),
      'source',
      `"${source}" must be lower-case letters, digits and dashes, starting with a letter`
    );
  }
  const base = optionalString(top.get('extends'), 'extends', issue);
  const description = optionalString(top.get('description'), 'description', issue);
  const references = optionalStringList(top.get('references'), 'references', issue);

  const defaultsNode = top.get('defaults');
  let defaults: PresetDocument['defaults'] = {};
  if (defaultsNode !== undefined && defaultsNode !== null) {
    if (!isMap(defaultsNode)) {
      issue(defaultsNode, 'defaults', 'must be a mapping');
    } else {
      const d = entries(defaultsNode, 'defaults', DEFAULT_KEYS, issue);
      const labels = readLabels(d.get('labels'), 'defaults.labels', issue);
      const namespaceLabel = optionalLabelName(d.get('namespaceLabel'), 'defaults.namespaceLabel', issue);
      defaults = { ...(labels ? { labels } : {}), ...(namespaceLabel !== undefined ? { namespaceLabel } : {}) };
    }
  }

  const signals = new Map<string, SignalEntry | null>();
  const signalsNode = top.get('signals');
  if (signalsNode !== undefined && signalsNode !== null) {
    if (!isMap(signalsNode)) {
      issue(signalsNode, 'signals', 'must be a mapping with "service" and/or "edge"');
    } else {
      const scopes = entries(signalsNode, 'signals', ['service', 'edge'], issue);
      for (const [scope, scopeNode] of scopes) {
        const path = `signals.${scope}`;
        if (scopeNode === null) {
          continue;
        }
        if (!isMap(scopeNode)) {
          issue(scopeNode, path, 'must be a mapping of signal name to template');
          continue;
        }
        const known = Object.keys(CANONICAL_SIGNALS[scope as SignalScope]);
        for (const pair of scopeNode.items) {
          const name = keyOf(pair.key);
          const signalPath = `${path}.${name}`;
          if (!known.includes(name)) {
            issue(pair.key as Node, signalPath, `unknown ${scope} signal "${name}" (known: ${known.join(', ')})`);
            continue;
          }
          const entry = readEntry(pair.value as Node | null, signalPath, SIGNAL_KEYS, at, indentOf, issue);
          signals.set(`${scope}.${name}`, entry);
        }
      }
    }
  }

  const extraNode = top.get('extraSignals');
  if (extraNode !== undefined && extraNode !== null) {
    if (!isMap(extraNode)) {
      issue(extraNode, 'extraSignals', 'must be a mapping of signal name to definition');
    } else {
      for (const pair of extraNode.items) {
        const name = keyOf(pair.key);
        const path = `extraSignals.${name}`;
        if (!EXTRA_NAME.test(name)) {
          issue(pair.key as Node, path, 'extra signal names are snake_case: lower-case letters, digits and "_"');
          continue;
        }
        const entry = readEntry(pair.value as Node | null, path, EXTRA_KEYS, at, indentOf, issue);
        if (entry !== null && entry.scope !== undefined && name in CANONICAL_SIGNALS[entry.scope]) {
          issue(
            pair.key as Node,
            path,
            `"${name}" is a canonical ${entry.scope} signal; define it under signals.${entry.scope}`
          );
          continue;
        }
        signals.set(`extra.${name}`, entry);
      }
    }
  }

  const identity = readIdentity(top.get('identity'), at, indentOf, issue);

  if (issues.length > 0) {
    throw new PresetError(issues);
  }
  return {
    file,
    ...(identity !== undefined ? { identity } : {}),
    ...(source !== undefined ? { source } : {}),
    ...(base !== undefined ? { extends: base } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(references !== undefined ? { references } : {}),
    defaults,
    signals,
    location: at(root),
  };
}

type Report = (node: Node | null | undefined, path: string, message: string) => void;

function keyOf(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** The mapping's values by key; unknown keys are reported. */
function entries(map: YAMLMap, path: string, allowed: readonly string[], issue: Report): Map<string, Node | null> {
  const out = new Map<string, Node | null>();
  for (const pair of map.items) {
    const key = keyOf(pair.key);
    const keyPath = path === '' ? key : `${path}.${key}`;
    if (!allowed.includes(key)) {
      issue(pair.key as Node, keyPath, `unknown key "${key}" (expected one of: ${allowed.join(', ')})`);
      continue;
    }
    out.set(key, (pair.value as Node | null) ?? null);
  }
  return out;
}

function optionalString(node: Node | null | undefined, path: string, issue: Report): string | undefined {
  if (node === undefined) {
    return undefined;
  }
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
    issue(node, path, 'must be a non-empty string');
    return undefined;
  }
  return node.value;
}

function optionalLabelName(node: Node | null | undefined, path: string, issue: Report): string | undefined {
  const value = optionalString(node, path, issue);
  if (value !== undefined && !LABEL_NAME.test(value)) {
    issue(node, path, `"${value}" is not a valid Prometheus label name`);
    return undefined;
  }
  return value;
}

function optionalStringList(node: Node | null | undefined, path: string, issue: Report): string[] | undefined {
  if (node === undefined || node === null) {
    return undefined;
  }
  if (!isSeq(node)) {
    issue(node, path, 'must be a list of strings');
    return undefined;
  }
  const out: string[] = [];
  node.items.forEach((item, i) => {
    const value = optionalString(item as Node, `${path}[${i}]`, issue);
    if (value !== undefined) {
      out.push(value);
    }
  });
  return out;
}

function readLabels(node: Node | null | undefined, path: string, issue: Report): EntityLabels | undefined {
  if (node === undefined || node === null) {
    return undefined;
  }
  if (!isMap(node)) {
    issue(node, path, 'must map service / client / server to the source label that holds it');
    return undefined;
  }
  const labels: Record<string, string> = {};
  for (const [key, value] of entries(node, path, LABEL_KEYS, issue)) {
    const name = optionalLabelName(value, `${path}.${key}`, issue);
    if (name !== undefined) {
      labels[key] = name;
    }
  }
  return labels;
}

function readEntry(
  node: Node | null,
  path: string,
  allowed: readonly string[],
  at: (node: Node | null | undefined) => SourceLocation,
  indentOf: (line: number) => number,
  issue: Report
): SignalEntry | null {
  // An explicit null removes a signal inherited from the preset this file extends.
  if (node === null || (isScalar(node) && node.value === null)) {
    return null;
  }
  if (isScalar(node) && typeof node.value === 'string') {
    issue(node, path, 'must be a mapping with a "query" key (query: <PromQL template>)');
    return null;
  }
  if (!isMap(node)) {
    issue(node, path, 'must be a mapping (query, labels, namespaceLabel) or null to remove the signal');
    return null;
  }
  const e = entries(node, path, allowed, issue);
  const queryNode = e.get('query');
  const query = optionalString(queryNode, `${path}.query`, issue);
  const labels = readLabels(e.get('labels'), `${path}.labels`, issue);
  const namespaceLabel = optionalLabelName(e.get('namespaceLabel'), `${path}.namespaceLabel`, issue);
  const scopeText = optionalString(e.get('scope'), `${path}.scope`, issue);
  let scope: SignalScope | undefined;
  if (scopeText !== undefined) {
    if (scopeText === 'service' || scopeText === 'edge') {
      scope = scopeText;
    } else {
      issue(e.get('scope'), `${path}.scope`, `must be "service" or "edge" (got "${scopeText}")`);
    }
  }
  const unit = optionalString(e.get('unit'), `${path}.unit`, issue);
  const description = optionalString(e.get('description'), `${path}.description`, issue);
  let queryLocation: SourceLocation | undefined;
  let queryIsBlock = false;
  if (queryNode !== undefined && queryNode !== null) {
    const start = at(queryNode);
    queryIsBlock = isScalar(queryNode) && queryNode.type === Scalar.BLOCK_LITERAL;
    // A literal block's text starts on the line after its "|" indicator; its column is the
    // block's indentation, which the parsed text no longer contains.
    queryLocation = queryIsBlock
      ? { file: start.file, line: start.line + 1, column: indentOf(start.line + 1) + 1 }
      : start;
  }
  return {
    ...(query !== undefined ? { query } : {}),
    ...(labels !== undefined ? { labels } : {}),
    ...(namespaceLabel !== undefined ? { namespaceLabel } : {}),
    ...(scope !== undefined ? { scope } : {}),
    ...(unit !== undefined ? { unit } : {}),
    ...(description !== undefined ? { description } : {}),
    location: at(node),
    ...(queryLocation !== undefined ? { queryLocation, queryIsBlock } : {}),
  };
}

function readIdentity(
  node: Node | null | undefined,
  at: (node: Node | null | undefined) => SourceLocation,
  indentOf: (line: number) => number,
  issue: Report
): IdentityEntry | null | undefined {
  if (node === undefined) {
    return undefined;
  }
  // An explicit null removes the identity inherited from the preset this file extends.
  if (node === null || (isScalar(node) && node.value === null)) {
    return null;
  }
  if (!isMap(node)) {
    issue(node, 'identity', 'must be a mapping (query, service, namespace, labelPrefix) or null to remove it');
    return undefined;
  }
  const e = entries(node, 'identity', IDENTITY_KEYS, issue);
  const queryNode = e.get('query');
  const query = optionalString(queryNode, 'identity.query', issue);
  const service = optionalLabelName(e.get('service'), 'identity.service', issue);
  const namespace = optionalLabelName(e.get('namespace'), 'identity.namespace', issue);
  let labelPrefix: string | undefined;
  const prefixNode = e.get('labelPrefix');
  if (prefixNode !== undefined && prefixNode !== null) {
    if (!isScalar(prefixNode) || typeof prefixNode.value !== 'string' || !/^[a-zA-Z0-9_]*$/.test(prefixNode.value)) {
      issue(prefixNode, 'identity.labelPrefix', 'must be the start of a label name (letters, digits, "_") or empty');
    } else {
      labelPrefix = prefixNode.value;
    }
  }
  let queryLocation: SourceLocation | undefined;
  let queryIsBlock = false;
  if (queryNode !== undefined && queryNode !== null) {
    const start = at(queryNode);
    queryIsBlock = isScalar(queryNode) && queryNode.type === Scalar.BLOCK_LITERAL;
    queryLocation = queryIsBlock
      ? { file: start.file, line: start.line + 1, column: indentOf(start.line + 1) + 1 }
      : start;
  }
  return {
    ...(query !== undefined ? { query } : {}),
    ...(service !== undefined ? { service } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(labelPrefix !== undefined ? { labelPrefix } : {}),
    location: at(node),
    ...(queryLocation !== undefined ? { queryLocation, queryIsBlock } : {}),
  };
}
