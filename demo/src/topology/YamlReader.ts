import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Node, type YAMLMap } from 'yaml';
import { closestName } from './closestName.js';

/** Builds the error thrown for a problem at a place in the source (TopologyError, ScenarioError...). */
export type LocatedErrorFactory = (file: string, line: number, column: number, problem: string) => Error;

export interface NumberRule {
  default?: number;
  min?: number;
  max?: number;
  /** When true, the value must be strictly greater than min. */
  exclusiveMin?: boolean;
  integer?: boolean;
  /** Appended to a range error, e.g. "(a probability: 0.01 means 1%)". */
  hint?: string;
}

export interface StringRule {
  default?: string;
  pattern?: RegExp;
  /** Says in words what the pattern allows. */
  patternHint?: string;
}

/**
 * Typed, position-aware access to a parsed YAML document. Every accessor that finds something
 * wrong throws the caller's error type with file, line and column of the offending node, so that
 * loaders read like a schema and every message points at the place to fix.
 *
 * JSON is YAML, so request bodies of the control API go through the same reader and get the same
 * messages.
 */
export class YamlReader {
  private constructor(
    readonly file: string,
    readonly root: Node | null,
    private readonly lines: LineCounter,
    private readonly makeError: LocatedErrorFactory
  ) {}

  /** Parses `text`; a syntax error is thrown at once with the parser's own position. */
  static parse(text: string, file: string, makeError: LocatedErrorFactory): YamlReader {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const first = doc.errors[0];
    if (first) {
      const pos = lines.linePos(first.pos[0]);
      throw makeError(file, pos.line, pos.col, `invalid YAML: ${describeYamlError(first.code, first.message)}`);
    }
    return new YamlReader(file, (doc.contents as Node | null) ?? null, lines, makeError);
  }

  /** The document's top level as a mapping, or an error saying what the file should contain. */
  rootMap(what: string, expected: string): MapView {
    if (this.root === null || (isScalar(this.root) && this.root.value === null)) {
      throw this.makeError(this.file, 1, 1, `${what} is empty: expected a mapping with ${expected}`);
    }
    return this.asMap(this.root, what);
  }

  asMap(node: Node, what: string): MapView {
    if (!isMap(node)) {
      this.fail(node, `${what} must be a mapping (key: value pairs), got ${describeNode(node)}`);
    }
    return new MapView(this, node as YAMLMap<unknown, unknown>, what);
  }

  /** Like asMap, but an empty value (`key:` or `key: {}`) reads as an empty mapping. */
  asOptionalMap(node: Node, what: string): MapView | undefined {
    if (isScalar(node) && node.value === null) {
      return undefined;
    }
    return this.asMap(node, what);
  }

  asSeq(node: Node, what: string): Node[] {
    if (isScalar(node) && node.value === null) {
      return [];
    }
    if (!isSeq(node)) {
      this.fail(node, `${what} must be a list (- items), got ${describeNode(node)}`);
    }
    return (node.items as unknown[]).filter((item): item is Node => item !== null && typeof item === 'object');
  }

  position(node: Node | null | undefined): { line: number; column: number } {
    const offset = node?.range?.[0];
    if (offset === undefined) {
      return { line: 1, column: 1 };
    }
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  error(node: Node | null | undefined, problem: string): Error {
    const { line, column } = this.position(node);
    return this.makeError(this.file, line, column, problem);
  }

  fail(node: Node | null | undefined, problem: string): never {
    throw this.error(node, problem);
  }
}

/** One mapping of the document, read key by key. */
export class MapView {
  constructor(
    readonly reader: YamlReader,
    readonly node: YAMLMap<unknown, unknown>,
    /** How messages name this mapping, e.g. `service "frontend"`. */
    readonly what: string
  ) {}

  /** Keys in source order, with their key and value nodes. */
  entries(): Array<{ key: string; keyNode: Node; value: Node }> {
    return this.node.items.map((pair) => {
      const keyNode = pair.key as Node;
      if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
        this.reader.fail(keyNode, `${this.what}: keys must be plain names, got ${describeNode(keyNode)}`);
      }
      const value = (pair.value as Node | null) ?? emptyAt(keyNode);
      return { key: String(keyNode.value), keyNode, value };
    });
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** The value node of `key`, or undefined when the key is absent. An empty value is a null scalar. */
  get(key: string): Node | undefined {
    for (const pair of this.node.items) {
      const k = pair.key as Node;
      if (isScalar(k) && String(k.value) === key) {
        return (pair.value as Node | null) ?? emptyAt(k);
      }
    }
    return undefined;
  }

  /** Rejects keys outside `allowed`, naming the closest allowed key (typos are the usual cause). */
  checkKeys(allowed: readonly string[]): void {
    for (const { key, keyNode } of this.entries()) {
      if (!allowed.includes(key)) {
        const guess = closestName(key, allowed);
        const advice = guess ? `did you mean "${guess}"?` : `allowed keys: ${allowed.join(', ')}`;
        this.reader.fail(keyNode, `${this.what}: unknown key "${key}" (${advice})`);
      }
    }
  }

  /** Fails at the value of `key`, or at the mapping itself when the key is absent. */
  fail(key: string, problem: string): never {
    this.reader.fail(this.get(key) ?? this.node, problem);
  }

  requireKey(key: string, hint: string): Node {
    const node = this.get(key);
    if (node === undefined) {
      this.reader.fail(this.node, `${this.what}: missing required key "${key}" (${hint})`);
    }
    return node;
  }

  string(key: string, rule: StringRule & { required: true; hint: string }): string;
  string(key: string, rule: StringRule & { default: string }): string;
  string(key: string, rule?: StringRule): string | undefined;
  string(key: string, rule: StringRule & { required?: boolean; hint?: string } = {}): string | undefined {
    const node = rule.required ? this.requireKey(key, rule.hint ?? 'a name') : this.get(key);
    if (node === undefined || (isScalar(node) && node.value === null && !rule.required)) {
      return rule.default;
    }
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string' || value.length === 0) {
      this.reader.fail(node, `${this.what}: ${key} must be a non-empty string, got ${describeNode(node)}`);
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      this.reader.fail(
        node,
        `${this.what}: ${key} "${value}" is not allowed (${rule.patternHint ?? `must match ${rule.pattern}`})`
      );
    }
    return value;
  }

  number(key: string, rule: NumberRule & { default: number }): number;
  number(key: string, rule: NumberRule): number | undefined;
  number(key: string, rule: NumberRule): number | undefined {
    const node = this.get(key);
    if (node === undefined || (isScalar(node) && node.value === null)) {
      return rule.default;
    }
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.reader.fail(node, `${this.what}: ${key} must be a number, got ${describeNode(node)}`);
    }
    checkNumber(value, rule, (problem) => this.reader.fail(node, `${this.what}: ${key} ${problem}`));
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const node = this.get(key);
    if (node === undefined || (isScalar(node) && node.value === null)) {
      return fallback;
    }
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'boolean') {
      this.reader.fail(node, `${this.what}: ${key} must be true or false, got ${describeNode(node)}`);
    }
    return value;
  }

  /** A nested mapping; undefined when absent or empty. */
  map(key: string, what: string): MapView | undefined {
    const node = this.get(key);
    return node === undefined ? undefined : this.reader.asOptionalMap(node, what);
  }

  /** A nested list; undefined when absent. */
  seq(key: string, what: string): Node[] | undefined {
    const node = this.get(key);
    return node === undefined ? undefined : this.reader.asSeq(node, what);
  }
}

/** Range check shared by every numeric field; `report` receives e.g. "must be >= 0, got -1". */
export function checkNumber(value: number, rule: NumberRule, report: (problem: string) => never): void {
  const hint = rule.hint ? ` ${rule.hint}` : '';
  if (rule.integer && !Number.isInteger(value)) {
    report(`must be a whole number, got ${value}${hint}`);
  }
  const { min, max } = rule;
  const belowMin = min !== undefined && (rule.exclusiveMin ? value <= min : value < min);
  const aboveMax = max !== undefined && value > max;
  if (!belowMin && !aboveMax) {
    return;
  }
  if (min !== undefined && max !== undefined) {
    report(`must be in ${rule.exclusiveMin ? '(' : '['}${min}, ${max}], got ${value}${hint}`);
  }
  if (belowMin) {
    report(`must be ${rule.exclusiveMin ? '>' : '>='} ${min}, got ${value}${hint}`);
  }
  report(`must be <= ${max}, got ${value}${hint}`);
}

/** What a node is, for messages: `string "abc"`, `number 3`, `a list`, `nothing`. */
export function describeNode(node: Node | null | undefined): string {
  if (node === null || node === undefined) {
    return 'nothing';
  }
  if (isMap(node)) {
    return 'a mapping';
  }
  if (isSeq(node)) {
    return 'a list';
  }
  if (isScalar(node)) {
    const v = node.value;
    if (v === null) {
      return 'nothing (empty value)';
    }
    if (typeof v === 'string') {
      return `string ${JSON.stringify(v)}`;
    }
    return `${typeof v} ${String(v)}`;
  }
  return 'an unsupported YAML node (alias or tag)';
}

/** An empty scalar standing for a missing value, positioned at its key so errors still point somewhere. */
function emptyAt(keyNode: Node): Node {
  const scalar = new Scalar(null);
  if (keyNode.range) {
    scalar.range = keyNode.range;
  }
  return scalar;
}

/** The yaml library's messages carry their own position and code excerpt; keep the first sentence. */
function describeYamlError(code: string, message: string): string {
  const firstLine = message.split('\n')[0] ?? message;
  const text = firstLine.replace(/ at line \d+, column \d+:?$/, '').trim();
  const advice: Record<string, string> = {
    DUPLICATE_KEY: 'remove or rename the repeated key',
    BAD_INDENT: 'check the indentation of this line against its siblings',
    TAB_AS_INDENT: 'indent with spaces, not tabs',
    MISSING_CHAR: 'a closing bracket, brace or quote is missing',
    UNEXPECTED_TOKEN: 'check the punctuation near this place',
  };
  const tip = advice[code];
  return tip ? `${text} (${tip})` : text;
}
