type Schema = Readonly<Record<string, unknown>>;

/** Keywords that only document; they never constrain a value. */
const ANNOTATIONS = new Set(['$schema', '$id', '$comment', '$defs', 'title', 'description', 'examples', 'default']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typeOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  return typeof value;
}

function hasType(value: unknown, name: string): boolean {
  switch (name) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      throw new Error(`schema uses unknown type "${name}"`);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${path}[${key}]`;
  }
  return path === '' ? key : `${path}.${key}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Checks a JSON value against the subset of JSON Schema 2020-12 the model manifest schema uses,
 * and returns every problem as `path: message`. A keyword outside that subset throws instead of
 * being skipped, so a schema edit cannot silently weaken validation in the sidecar (the training
 * pipeline's validator follows the same rule).
 */
export function validateJsonSchema(root: Schema, value: unknown): string[] {
  const problems: string[] = [];

  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#/')) {
      throw new Error(`schema $ref ${ref} is not local`);
    }
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      node = isObject(node) ? node[part] : undefined;
    }
    if (!isObject(node)) {
      throw new Error(`schema $ref ${ref} does not resolve`);
    }
    return node;
  };

  const check = (schema: Schema, v: unknown, path: string, out: string[]): void => {
    const where = path === '' ? '(root)' : path;
    for (const [keyword, arg] of Object.entries(schema)) {
      if (ANNOTATIONS.has(keyword)) {
        continue;
      }
      switch (keyword) {
        case '$ref':
          check(resolve(String(arg)), v, path, out);
          break;
        case 'type': {
          const names = Array.isArray(arg) ? (arg as string[]) : [String(arg)];
          if (!names.some((n) => hasType(v, n))) {
            out.push(`${where}: must be ${names.join(' or ')} (got ${typeOf(v)} ${show(v)})`);
          }
          break;
        }
        case 'const':
          if (!sameJson(v, arg)) {
            out.push(`${where}: must be ${show(arg)} (got ${show(v)})`);
          }
          break;
        case 'enum':
          if (!(arg as unknown[]).some((option) => sameJson(option, v))) {
            out.push(`${where}: must be one of ${(arg as unknown[]).map(show).join(', ')} (got ${show(v)})`);
          }
          break;
        case 'required':
          if (isObject(v)) {
            for (const name of arg as string[]) {
              if (!(name in v)) {
                out.push(`${child(path, name)}: is required`);
              }
            }
          }
          break;
        case 'properties':
          if (isObject(v)) {
            for (const [name, sub] of Object.entries(arg as Record<string, Schema>)) {
              if (name in v) {
                check(sub, v[name], child(path, name), out);
              }
            }
          }
          break;
        case 'additionalProperties':
          if (isObject(v)) {
            const declared = isObject(schema.properties) ? schema.properties : {};
            for (const [name, item] of Object.entries(v)) {
              if (name in declared) {
                continue;
              }
              if (arg === false) {
                out.push(`${child(path, name)}: unexpected property`);
              } else if (isObject(arg)) {
                check(arg, item, child(path, name), out);
              }
            }
          }
          break;
        case 'items':
          if (Array.isArray(v)) {
            v.forEach((item, i) => check(arg as Schema, item, child(path, i), out));
          }
          break;
        case 'minItems':
          if (Array.isArray(v) && v.length < Number(arg)) {
            out.push(`${where}: needs at least ${String(arg)} items (has ${v.length})`);
          }
          break;
        case 'maxItems':
          if (Array.isArray(v) && v.length > Number(arg)) {
            out.push(`${where}: allows at most ${String(arg)} items (has ${v.length})`);
          }
          break;
        case 'minProperties':
          if (isObject(v) && Object.keys(v).length < Number(arg)) {
            out.push(`${where}: needs at least ${String(arg)} entries`);
          }
          break;
        case 'minimum':
          if (typeof v === 'number' && v < Number(arg)) {
            out.push(`${where}: must be >= ${String(arg)} (got ${v})`);
          }
          break;
        case 'maximum':
          if (typeof v === 'number' && v > Number(arg)) {
            out.push(`${where}: must be <= ${String(arg)} (got ${v})`);
          }
          break;
        case 'exclusiveMinimum':
          if (typeof v === 'number' && v <= Number(arg)) {
            out.push(`${where}: must be > ${String(arg)} (got ${v})`);
          }
          break;
        case 'exclusiveMaximum':
          if (typeof v === 'number' && v >= Number(arg)) {
            out.push(`${where}: must be < ${String(arg)} (got ${v})`);
          }
          break;
        case 'minLength':
          if (typeof v === 'string' && v.length < Number(arg)) {
            out.push(`${where}: must not be shorter than ${String(arg)}`);
          }
          break;
        case 'pattern':
          if (typeof v === 'string' && !new RegExp(String(arg), 'u').test(v)) {
            out.push(`${where}: ${show(v)} does not match ${String(arg)}`);
          }
          break;
        case 'format':
          if (arg === 'date-time' && typeof v === 'string' && !(v.includes('T') && Number.isFinite(Date.parse(v)))) {
            out.push(`${where}: ${show(v)} is not an RFC 3339 date-time`);
          }
          break;
        case 'oneOf': {
          const options = arg as Schema[];
          const results = options.map((option) => {
            const sub: string[] = [];
            check(option, v, path, sub);
            return sub;
          });
          const passing = results.filter((r) => r.length === 0).length;
          if (passing !== 1) {
            const detail = passing === 0 ? results.map((r) => r[0]).join('; or ') : 'matches more than one alternative';
            out.push(`${where}: ${detail}`);
          }
          break;
        }
        default:
          throw new Error(`schema keyword "${keyword}" at ${where} is not supported by this validator`);
      }
    }
  };

  check(root, value, '', problems);
  return problems;
}
