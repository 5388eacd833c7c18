import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseProfileString } from './parseProfileString.js';
import { ProfileSpecError } from './ProfileSpecError.js';
import { readProfileFile } from './readProfileFile.js';
import type { LoadProfileDocument } from './types.js';

/** The profile files shipped with the demo. */
export const SHIPPED_PROFILES_DIR = fileURLToPath(new URL('../../load-profiles/', import.meta.url));

/**
 * Interprets the value of a `--load` flag:
 * - a path ending in .yaml or .yml is a profile file;
 * - a string with ':' or '*' is a compact profile (see parseProfileString);
 * - a bare name is a shipped profile, e.g. `lab-transients` for load-profiles/lab-transients.yaml.
 */
export async function resolveLoadProfile(
  argument: string,
  options: { profilesDir?: string } = {}
): Promise<LoadProfileDocument> {
  const value = argument.trim();
  if (/\.ya?ml$/i.test(value)) {
    return readProfileFile(value);
  }
  if (value.includes(':') || value.includes('*')) {
    return { profile: parseProfileString(value) };
  }
  const dir = options.profilesDir ?? SHIPPED_PROFILES_DIR;
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => /\.ya?ml$/i.test(f)).sort();
  const nameOf = (file: string): string => file.replace(/\.ya?ml$/i, '');
  const file = files.find((f) => nameOf(f) === value);
  if (file === undefined) {
    throw new ProfileSpecError(
      `load profile ${JSON.stringify(value)}`,
      'not a profile file, a compact profile (e.g. steady:rps=20) or a shipped profile' +
        (files.length > 0 ? ` (shipped: ${files.map(nameOf).join(', ')})` : '')
    );
  }
  return readProfileFile(join(dir, file));
}
