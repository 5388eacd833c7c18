import { fileURLToPath } from 'node:url';

/**
 * The models shipped with the sidecar. Resolved from this module's location, which is two
 * levels below the package root both in the source tree and in the compiled image.
 */
export function defaultModelDir(): string {
  return fileURLToPath(new URL('../../models', import.meta.url));
}
