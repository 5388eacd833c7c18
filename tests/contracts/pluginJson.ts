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
  includes?: PluginInclude[];
  backend?: boolean;
  alerting?: boolean;
  executable?: string;
  [key: string]: unknown;
}

export interface PluginInclude {
  type: string;
  name?: string;
  path?: string;
  role?: string;
  addToNav?: boolean;
  defaultNav?: boolean;
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
const INCLUDE_KEYS = new Set([
  'type',
  'name',
  'path',
  'role',
  'action',
  'addToNav',
  'defaultNav',
  'icon',
  'uid',
  'component',
]);
const ROLES = new Set(['Admin', 'Editor', 'Viewer', 'None']);

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
    for (const key of Object.keys(include)) {
      if (!INCLUDE_KEYS.has(key)) {
        problems.push(`${where}: include "${include.name}" has unknown key "${key}"`);
      }
    }
    if (include.type === 'page') {
      if (!include.name || !include.path) {
        problems.push(`${where}: page include needs a name and a path`);
      } else if (!/^\/(a\/%PLUGIN_ID%\/[a-z0-9-]+|plugins\/%PLUGIN_ID%)$/.test(include.path)) {
        problems.push(
          `${where}: page "${include.name}" path "${include.path}" is not /a/%PLUGIN_ID%/<page> or /plugins/%PLUGIN_ID%`
        );
      }
    } else if (include.defaultNav || include.addToNav) {
      problems.push(`${where}: include "${include.name}": only pages go into the navigation`);
    }
    if (include.type === 'dashboard' && !include.path?.endsWith('.json')) {
      problems.push(`${where}: dashboard include "${include.name}" needs a .json path`);
    }
  }
  const defaults = (json.includes ?? []).filter((include) => include.defaultNav);
  if (defaults.length > 1) {
    problems.push(`${where}: ${defaults.length} includes are defaultNav; at most one may be`);
  }
  if (json.type !== 'app' && (json.includes ?? []).some((include) => include.type === 'page')) {
    problems.push(`${where}: only apps have pages`);
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
