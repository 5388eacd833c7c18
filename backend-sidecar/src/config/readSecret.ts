import type { ConfigReader } from './ConfigReader.js';
import { describeFileError } from './describeFileError.js';
import { readPath } from './readPath.js';
import { Secret } from './Secret.js';
import type { SectionContext } from './SectionContext.js';

export interface SecretSetting {
  readonly file: string | null;
  readonly secret: Secret | null;
}

/**
 * A credential from the environment variable `envName` or, failing that, from the file named
 * by `fileKey`. The environment wins so an orchestrator can inject a secret without editing a
 * mounted file. One trailing newline is dropped because `echo` and most secret tooling add it.
 * Messages name the file, never its content.
 */
export function readSecret(r: ConfigReader, ctx: SectionContext, fileKey: string, envName: string): SecretSetting {
  const file = readPath(r, ctx, fileKey, null);
  const fromEnv = ctx.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') {
    return { file, secret: new Secret(fromEnv) };
  }
  if (file === null) {
    return { file, secret: null };
  }
  let text: string;
  try {
    text = ctx.files.readText(file);
  } catch (error) {
    r.report(fileKey, `cannot read ${file}: ${describeFileError(error)}`, r.nodeOf(fileKey));
    return { file, secret: null };
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') {
    r.report(fileKey, `${file} is empty`, r.nodeOf(fileKey));
    return { file, secret: null };
  }
  return { file, secret: new Secret(value) };
}
