import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { parseDuration } from './parseDuration.js';
import { ProfileSpecError } from './ProfileSpecError.js';
import type { LoadProfileDocument } from './types.js';
import { validateProfileSpec, type SpecLocator, type SpecPath } from './validateProfileSpec.js';

const TOP_KEYS = ['name', 'description', 'duration', 'profile'];

/**
 * Parses a load profile file:
 *
 *   name: lab-transients          # optional
 *   description: ...              # optional
 *   duration: 15m                 # optional suggested run length
 *   profile: { kind: spikes, base: 10, spikes: [...] }
 *
 * Errors name the file, the line and column of the offending node, and the problem.
 */
export function parseProfileYaml(text: string, fileName: string): LoadProfileDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `${fileName}:${line}:${col}`;
  };
  const syntax = doc.errors[0];
  if (syntax) {
    throw new ProfileSpecError(position(syntax.pos[0]), syntaxProblem(syntax.message));
  }
  const locate = locator(doc, position);
  const fail = (path: SpecPath, problem: string, part: 'key' | 'value' = 'value'): never => {
    throw new ProfileSpecError(locate(path, part), problem);
  };

  const root: unknown = doc.toJS();
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    return fail([], 'a load profile file must be a mapping with a "profile" key');
  }
  const top = root as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (!TOP_KEYS.includes(key)) {
      fail([key], `unknown key "${key}"; allowed: ${TOP_KEYS.join(', ')}`, 'key');
    }
  }
  if (top.profile === undefined) {
    fail([], 'missing "profile"');
  }
  const result: LoadProfileDocument = { profile: validateProfileSpec(top.profile, locate, ['profile']) };
  for (const key of ['name', 'description'] as const) {
    const value = top[key];
    if (value !== undefined) {
      if (typeof value !== 'string') {
        fail([key], `"${key}" must be a string`);
      }
      result[key] = value as string;
    }
  }
  if (top.duration !== undefined) {
    const seconds = parseDuration(top.duration);
    if (seconds === undefined || !(seconds > 0)) {
      fail(['duration'], `"duration" must be a positive duration (seconds, or a number with s, m, h or ms)`);
    }
    result.durationSeconds = seconds;
  }
  return result;
}

/** Finds the node at a path, or the nearest ancestor that exists, and reports its position. */
function locator(doc: Document, position: (offset: number) => string): SpecLocator {
  return (path, part = 'value') => {
    if (part === 'key' && path.length > 0) {
      const parent = doc.getIn(path.slice(0, -1), true);
      if (isMap(parent)) {
        const last = path[path.length - 1];
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === last);
        const keyNode = pair?.key as Node | undefined;
        if (keyNode?.range) {
          return position(keyNode.range[0]);
        }
      }
    }
    for (let n = path.length; n >= 0; n--) {
      const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined;
      if (node?.range) {
        return position(node.range[0]);
      }
    }
    return position(0);
  };
}

function syntaxProblem(message: string): string {
  // The yaml library appends its own "at line X, column Y" to messages; we report that first.
  return `invalid YAML: ${message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '')}`;
}
