import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

export interface PluginJson {
  id: string;
  type: string;
  name: string;
  info: {
    keywords?: string[];
    logos?: { small?: string; large?: string };
    version?: string;
    updated?: string;
  };
  dependencies?: { grafanaDependency?: string };
  includes?: Array<{ type: string; name?: string; path?: string; role?: string }>;
  backend?: boolean;
  alerting?: boolean;
  executable?: string;
  [key: string]: unknown;
}

export interface FoundPlugin {
  /** Folder of the plugin.json, relative to the scanned root ('' for the app). */
  folder: string;
  json: PluginJson;
}

/** Every plugin.json below `root`, as Grafana's loader would see them. */
export function findPlugins(root: string): FoundPlugin[] {
  const found: FoundPlugin[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else if (entry === 'plugin.json') {
        found.push({ folder: relative(root, dirname(path)), json: JSON.parse(readFileSync(path, 'utf8')) });
      }
    }
  };
  walk(root);
  return found.sort((a, b) => a.folder.localeCompare(b.folder));
}

// Rules from Grafana's documented plugin.json schema, restricted to the one-name-segment ids
// this project uses (`<org>-<name>-<type>`).
const TOP_LEVEL_KEYS = new Set([
  '$schema',
  'id',
  'type',
  'name',
  'info',
  'dependencies',
  'includes',
  'backend',
  'executable',
  'alerting',
  'annotations',
  'metrics',
  'logs',
  'tracing',
  'streaming',
  'preload',
  'autoEnabled',
  'category',
  'routes',
  'queryOptions',
  'skipDataQuery',
  'state',
  'hideFromList',
  'roles',
  'iam',
  'extensions',
  'buildMode',
]);
const ID_PATTERN = /^[0-9a-z]+-[0-9a-z]+-(app|panel|datasource)$/;
const VERSION_PATTERN = /^((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)|%VERSION%)$/;
const UPDATED_PATTERN = /^(\d{4}-\d{2}-\d{2}|%TODAY%)$/;
const GRAFANA_DEPENDENCY_PATTERN =
  /^(<=|>=|<|>|=|~|\^)?\d+(\.[0-9x*]+)(\.[0-9x*]+)?(\s(<=|>=|<|=>)?\d+(\.[0-9x]+)(\.[0-9x]+))?$/;
const INCLUDE_TYPES = new Set(['dashboard', 'page', 'panel', 'datasource']);
const ROLES = new Set(['Admin', 'Editor', 'Viewer']);

/** Problems with one plugin.json, each naming the plugin and the field; empty when valid. */
export function checkPluginJson({ folder, json }: FoundPlugin, baseDir: string): string[] {
  const where = `${folder || '.'}/plugin.json`;
  const problems: string[] = [];
  for (const key of ['id', 'type', 'name', 'info', 'dependencies']) {
    if (json[key] === undefined) {
      problems.push(`${where}: missing required "${key}"`);
    }
  }
  for (const key of Object.keys(json)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      problems.push(`${where}: unknown key "${key}"`);
    }
  }
  if (!ID_PATTERN.test(json.id ?? '')) {
    problems.push(`${where}: id "${json.id}" does not match <org>-<name>-<type>`);
  } else if (!json.id.endsWith(`-${json.type}`)) {
    problems.push(`${where}: id "${json.id}" does not end with its type "${json.type}"`);
  }
  const info = json.info ?? {};
  if (!info.keywords?.length) {
    problems.push(`${where}: info.keywords needs at least one keyword`);
  }
  if (!VERSION_PATTERN.test(info.version ?? '')) {
    problems.push(`${where}: info.version "${info.version}" is not a version`);
  }
  if (!UPDATED_PATTERN.test(info.updated ?? '')) {
    problems.push(`${where}: info.updated "${info.updated}" is not a date`);
  }
  for (const size of ['small', 'large'] as const) {
    const logo = info.logos?.[size];
    if (!logo) {
      problems.push(`${where}: info.logos.${size} is missing`);
    } else if (!logo.endsWith('.svg') || !existsSync(join(baseDir, folder, logo))) {
      problems.push(`${where}: info.logos.${size} "${logo}" is not an SVG file next to the plugin.json`);
    }
  }
  if (!GRAFANA_DEPENDENCY_PATTERN.test(json.dependencies?.grafanaDependency ?? '')) {
    problems.push(
      `${where}: dependencies.grafanaDependency "${json.dependencies?.grafanaDependency}" is not a semver range`
    );
  }
  for (const include of json.includes ?? []) {
    if (!INCLUDE_TYPES.has(include.type)) {
      problems.push(`${where}: include "${include.name}" has unknown type "${include.type}"`);
    }
    if (include.role && !ROLES.has(include.role)) {
      problems.push(`${where}: include "${include.name}" has unknown role "${include.role}"`);
    }
  }
  if (json.alerting && !json.backend) {
    problems.push(`${where}: alerting requires backend: true`);
  }
  if (json.backend && !json.executable) {
    problems.push(`${where}: backend: true needs an executable name`);
  }
  if (!['module.ts', 'module.tsx', 'module.js'].some((file) => existsSync(join(baseDir, folder, file)))) {
    problems.push(`${where}: no module.ts, module.tsx or module.js beside it`);
  }
  return problems;
}
