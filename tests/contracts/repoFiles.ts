import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

/** Root of the repository. */
export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A repository file as text. */
export const readText = (path: string): string => readFileSync(join(root, path), 'utf8');

/** A repository YAML file, parsed; anchors and aliases resolved as Grafana and Prometheus do. */
export const readYaml = <T = any>(path: string): T => parse(readText(path), { maxAliasCount: -1 }) as T;

/** Every document of a multi-document YAML text, skipping empty ones. */
export const parseYamlDocuments = (text: string): any[] =>
  parseAllDocuments(text)
    .map((doc) => doc.toJS({ maxAliasCount: -1 }))
    .filter((doc) => doc !== null && doc !== undefined);

/** A repository JSON file, parsed. */
export const readJson = <T = any>(path: string): T => JSON.parse(readText(path)) as T;

/** Files directly in a repository folder whose names end with `suffix`, as repository paths. */
export const filesIn = (folder: string, suffix: string): string[] =>
  readdirSync(join(root, folder))
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => `${folder}/${name}`);
