import type { ConfigReader } from './ConfigReader.js';

/** The keys a delegated validator accepts: 'leaf' values, 'free'-form mappings, or nested trees. */
export type KeyTree = { readonly [key: string]: KeyTree | 'leaf' | 'free' };

/** A delegated validator's error, reduced to the key path below the section and the problem. */
export interface DelegatedProblem {
  /** Dotted path below the section; '' for the section itself. */
  readonly field: string;
  readonly message: string;
}

/** Derives the accepted keys from a module's defaults object. */
export function keyTreeOf(defaults: object): KeyTree {
  const tree: Record<string, KeyTree | 'leaf' | 'free'> = {};
  for (const [key, value] of Object.entries(defaults)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      tree[key] = Object.keys(value).length === 0 ? 'free' : keyTreeOf(value);
    } else {
      tree[key] = 'leaf';
    }
  }
  return tree;
}

function collect(r: ConfigReader, tree: KeyTree): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(tree)) {
    if (kind === 'leaf' || kind === 'free') {
      const f = r.field(key);
      if (f.present) {
        out[key] = f.value;
      }
    } else {
      const present = r.field(key).present;
      const nested = collect(r.section(key), kind);
      if (present) {
        out[key] = nested;
      }
    }
  }
  r.finish();
  return out;
}

/**
 * Hands a section to the owning module's own validator, so its rules live in one place, while
 * keeping this file's error style: unknown keys get a suggestion, and the module's error is
 * reported at the key it names, with the file position.
 */
export function readDelegated<T>(
  r: ConfigReader,
  tree: KeyTree,
  resolve: (input: Record<string, unknown>) => T,
  explain: (error: unknown) => DelegatedProblem | null,
  fallback: () => T
): T {
  const input = collect(r, tree);
  try {
    return resolve(input);
  } catch (error) {
    const problem = explain(error) ?? { field: '', message: `rejected: ${(error as Error)?.message ?? String(error)}` };
    const keys = problem.field === '' ? [] : problem.field.split('.');
    const path = problem.field === '' ? r.path : `${r.path}.${problem.field}`;
    r.reportAt(path, problem.message, r.nodeAtPath(keys));
    return fallback();
  }
}

/** Removes a "<field>: " style prefix a module's error message starts with. */
export function stripPrefix(message: string, prefix: string): string {
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
