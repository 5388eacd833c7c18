import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node, type YAMLMap } from 'yaml';

import { suggestKey } from './suggestKey.js';
import type { ConfigIssue } from './types.js';

/** Shared by all readers of one document. */
export interface ReadContext {
  /** The file name as the user gave it; issues are reported against it. */
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  readonly issues: ConfigIssue[];
  /** Every key path a reader asked for (list items as "[]"), whether present or not. */
  readonly known: Set<string>;
}

export interface Field {
  /** False when the key is absent or has an empty value: both mean "use the default". */
  readonly present: boolean;
  /** The plain JS value (collections converted). */
  readonly value: unknown;
  readonly node: Node | null;
}

interface NumberRule {
  min?: number;
  /** The value must be strictly greater than this. */
  above?: number;
  max?: number;
  /** Written after "number", e.g. "of seconds". */
  unit?: string;
}

const MAX_SHOWN = 60;

/** How a rejected value is quoted back: short, typed, and never a whole nested structure. */
function describe(node: Node | null, value: unknown): string {
  if (isSeq(node)) {
    return 'a list';
  }
  if (isMap(node)) {
    return 'a mapping';
  }
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

function numberBounds(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.above !== undefined) {
    parts.push(`> ${rule.above}`);
  }
  if (rule.min !== undefined && rule.max !== undefined) {
    return `between ${rule.min} and ${rule.max}`;
  }
  if (rule.min !== undefined) {
    parts.push(`>= ${rule.min}`);
  }
  if (rule.max !== undefined) {
    parts.push(`<= ${rule.max}`);
  }
  return parts.join(' and ');
}

/**
 * A view of one YAML mapping at a key path. Each accessor validates one key, records a problem
 * with the key path and the file position when the value is wrong, and returns a usable value
 * (the default) either way, so one pass collects every problem in the file. Keys that no
 * accessor asked for are reported by finish() as unknown, with the closest known key.
 */
export class ConfigReader {
  readonly path: string;
  readonly #ctx: ReadContext;
  readonly #node: YAMLMap | null;
  /** Where to point when a key of this mapping is missing: the mapping, or its key. */
  readonly #anchor: Node | null;
  /** Path used for the list of known keys: list indexes replaced by "[]". */
  readonly #knownPath: string;
  readonly #read = new Set<string>();
  /** Keys rejected by forbid(): already reported, and never offered as suggestions. */
  readonly #forbidden = new Set<string>();

  private constructor(ctx: ReadContext, path: string, knownPath: string, node: YAMLMap | null, anchor: Node | null) {
    this.#ctx = ctx;
    this.path = path;
    this.#knownPath = knownPath;
    this.#node = node;
    this.#anchor = anchor;
  }

  /** The document's root mapping. A non-mapping root is reported and read as empty. */
  static root(ctx: ReadContext): ConfigReader {
    const contents = ctx.doc.contents;
    if (contents !== null && !(isScalar(contents) && contents.value === null) && !isMap(contents)) {
      ctx.issues.push({
        ...ConfigReader.#locate(ctx, contents),
        path: '',
        message: `the file must be a mapping of sections (prometheus:, detection:, ...), got ${describe(contents, isNode(contents) ? contents.toJS(ctx.doc) : contents)}`,
      });
    }
    return new ConfigReader(ctx, '', '', isMap(contents) ? contents : null, null);
  }

  static #locate(ctx: ReadContext, node: Node | null | undefined): Pick<ConfigIssue, 'source' | 'line' | 'col'> {
    const offset = node?.range?.[0];
    if (offset === undefined) {
      return { source: ctx.file };
    }
    const { line, col } = ctx.lineCounter.linePos(offset);
    return { source: `${ctx.file}:${line}:${col}`, line, col };
  }

  childPath(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  #pair(key: string) {
    return this.#node?.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  }

  /** Looks a key up and marks it as known and read. */
  field(key: string): Field {
    this.#read.add(key);
    this.#ctx.known.add(this.#knownPath === '' ? key : `${this.#knownPath}.${key}`);
    const pair = this.#pair(key);
    const node = isNode(pair?.value) ? pair.value : null;
    if (node === null || (isScalar(node) && node.value === null)) {
      return { present: false, value: undefined, node };
    }
    return { present: true, value: node.toJS(this.#ctx.doc), node };
  }

  /** Records a problem at `node`, else at the key, else at this mapping. */
  report(key: string | null, message: string, node?: Node | null): void {
    const keyNode = key === null ? undefined : this.#pair(key)?.key;
    const at = node ?? (isNode(keyNode) ? keyNode : null) ?? this.#anchor ?? this.#node;
    this.#ctx.issues.push({
      ...ConfigReader.#locate(this.#ctx, at),
      path: key === null ? this.path : this.childPath(key),
      message,
    });
  }

  /** Records a problem at an arbitrary node below this mapping, under an explicit path. */
  reportAt(path: string, message: string, node: Node | null): void {
    this.#ctx.issues.push({ ...ConfigReader.#locate(this.#ctx, node ?? this.#anchor ?? this.#node), path, message });
  }

  /** Records a problem caused by an environment variable. */
  reportEnv(variable: string, key: string, message: string): void {
    this.#ctx.issues.push({ source: `env ${variable}`, path: this.childPath(key), message });
  }

  /** Position of a key's value (or of the key, or of this mapping), for problems found later. */
  nodeOf(key: string): Node | null {
    const pair = this.#pair(key);
    if (isNode(pair?.value)) {
      return pair.value;
    }
    if (isNode(pair?.key)) {
      return pair.key;
    }
    return this.#anchor ?? this.#node;
  }

  /** The node at a path below this mapping, for delegated validators that name nested keys. */
  nodeAtPath(keys: readonly string[]): Node | null {
    const [first, ...rest] = keys;
    if (first === undefined) {
      return this.#node;
    }
    let node: unknown = this.#pair(first)?.value;
    let best: Node | null = isNode(node) ? node : this.nodeOf(first);
    for (const key of rest) {
      if (!isMap(node)) {
        break;
      }
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      if (pair === undefined) {
        break;
      }
      node = pair.value;
      best = isNode(node) ? node : isNode(pair.key) ? pair.key : best;
    }
    return best;
  }

  int(key: string, fallback: number, rule: NumberRule = {}): number {
    return this.numeric(key, fallback, rule, 'whole number', Number.isInteger);
  }

  number(key: string, fallback: number, rule: NumberRule = {}): number {
    return this.numeric(key, fallback, rule, 'number', Number.isFinite);
  }

  /** int() and number() differ only in what counts as a value of their kind. */
  private numeric(
    key: string,
    fallback: number,
    rule: NumberRule,
    kind: string,
    isKind: (value: number) => boolean
  ): number {
    const f = this.field(key);
    if (!f.present) {
      return fallback;
    }
    const v = f.value;
    const ok =
      typeof v === 'number' &&
      isKind(v) &&
      (rule.min === undefined || v >= rule.min) &&
      (rule.max === undefined || v <= rule.max) &&
      (rule.above === undefined || v > rule.above);
    if (!ok) {
      const unit = rule.unit === undefined ? '' : ` of ${rule.unit}`;
      const bounds = numberBounds(rule);
      this.report(
        key,
        `must be a ${kind}${unit}${bounds === '' ? '' : ` ${bounds}`}, got ${describe(f.node, v)}`,
        f.node
      );
      return fallback;
    }
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const f = this.field(key);
    if (!f.present) {
      return fallback;
    }
    if (typeof f.value !== 'boolean') {
      this.report(key, `must be true or false, got ${describe(f.node, f.value)}`, f.node);
      return fallback;
    }
    return f.value;
  }

  /** A non-empty string, or null when absent. */
  optionalString(key: string): string | null {
    const f = this.field(key);
    if (!f.present) {
      return null;
    }
    if (typeof f.value !== 'string' || f.value.trim() === '') {
      this.report(key, `must be a non-empty string, got ${describe(f.node, f.value)}`, f.node);
      return null;
    }
    return f.value;
  }

  string(key: string, fallback: string): string {
    return this.optionalString(key) ?? fallback;
  }

  choice<T extends string>(key: string, values: readonly T[], fallback: T): T {
    const f = this.field(key);
    if (!f.present) {
      return fallback;
    }
    if (typeof f.value !== 'string' || !(values as readonly string[]).includes(f.value)) {
      this.report(key, `must be one of ${values.join(', ')}, got ${describe(f.node, f.value)}`, f.node);
      return fallback;
    }
    return f.value as T;
  }

  /**
   * A list of non-empty strings; each bad item is reported at its own position. `check` returns
   * a message for an item that is a string but not an acceptable one.
   */
  stringList(
    key: string,
    fallback: readonly string[],
    check?: (item: string, earlier: readonly string[]) => string | null
  ): string[] {
    const f = this.field(key);
    if (!f.present) {
      return [...fallback];
    }
    if (!isSeq(f.node)) {
      this.report(key, `must be a list of strings, got ${describe(f.node, f.value)}`, f.node);
      return [...fallback];
    }
    const out: string[] = [];
    f.node.items.forEach((item, i) => {
      const value = isScalar(item) ? item.value : isNode(item) ? item.toJS(this.#ctx.doc) : item;
      if (typeof value !== 'string' || value.trim() === '') {
        this.#ctx.issues.push({
          ...ConfigReader.#locate(this.#ctx, isNode(item) ? item : f.node),
          path: `${this.childPath(key)}[${i}]`,
          message: `must be a non-empty string, got ${describe(isNode(item) ? item : null, value)}`,
        });
        return;
      }
      const problem = check?.(value, out) ?? null;
      if (problem !== null) {
        this.reportAt(`${this.childPath(key)}[${i}]`, problem, isNode(item) ? item : f.node);
        return;
      }
      out.push(value);
    });
    return out;
  }

  /** A nested mapping; absent or mistyped sections read as empty (the latter is reported). */
  section(key: string): ConfigReader {
    const f = this.field(key);
    const knownPath = this.#knownPath === '' ? key : `${this.#knownPath}.${key}`;
    if (f.present && !isMap(f.node)) {
      this.report(key, `must be a mapping of keys, got ${describe(f.node, f.value)}`, f.node);
    }
    const pair = this.#pair(key);
    const anchor = isNode(pair?.key) ? pair.key : (this.#anchor ?? this.#node);
    return new ConfigReader(this.#ctx, this.childPath(key), knownPath, isMap(f.node) ? f.node : null, anchor);
  }

  /** A list of mappings, one reader per item. */
  listOfSections(key: string): ConfigReader[] {
    const f = this.field(key);
    if (!f.present) {
      return [];
    }
    if (!isSeq(f.node)) {
      this.report(key, `must be a list, got ${describe(f.node, f.value)}`, f.node);
      return [];
    }
    const knownPath = `${this.#knownPath === '' ? key : `${this.#knownPath}.${key}`}[]`;
    const readers: ConfigReader[] = [];
    f.node.items.forEach((item, i) => {
      const path = `${this.childPath(key)}[${i}]`;
      if (!isMap(item)) {
        this.#ctx.issues.push({
          ...ConfigReader.#locate(this.#ctx, isNode(item) ? item : f.node),
          path,
          message: `must be a mapping of keys, got ${describe(isNode(item) ? item : null, isNode(item) ? item.toJS(this.#ctx.doc) : item)}`,
        });
        return;
      }
      readers.push(new ConfigReader(this.#ctx, path, knownPath, item, item));
    });
    return readers;
  }

  /** A mapping with free-form keys (label names, header names): its entries, in file order. */
  entries(key: string): Array<{ key: string; value: unknown; node: Node | null }> {
    const f = this.field(key);
    if (!f.present) {
      return [];
    }
    if (!isMap(f.node)) {
      this.report(key, `must be a mapping, got ${describe(f.node, f.value)}`, f.node);
      return [];
    }
    return f.node.items.map((pair) => {
      const node = isNode(pair.value) ? pair.value : isNode(pair.key) ? pair.key : null;
      return {
        key: isScalar(pair.key) ? String(pair.key.value) : String(pair.key),
        value: isNode(pair.value) ? pair.value.toJS(this.#ctx.doc) : pair.value,
        node,
      };
    });
  }

  /**
   * A key that must not be written in the file at all (inline secrets). The value is never
   * echoed in the message.
   */
  forbid(key: string, message: string): void {
    if (this.#pair(key) === undefined) {
      return;
    }
    this.#forbidden.add(key);
    const keyNode = this.#pair(key)?.key;
    this.report(key, message, isNode(keyNode) ? keyNode : null);
  }

  /** Reports keys no accessor asked for, with the closest known key as a suggestion. */
  finish(): void {
    if (this.#node === null) {
      return;
    }
    for (const pair of this.#node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (this.#read.has(key) || this.#forbidden.has(key)) {
        continue;
      }
      const suggestion = suggestKey(key, this.#read);
      const hint =
        suggestion !== null ? `did you mean "${suggestion}"?` : `known keys here: ${[...this.#read].join(', ')}`;
      this.report(key, `unknown key; ${hint}`, isNode(pair.key) ? pair.key : null);
    }
  }
}
