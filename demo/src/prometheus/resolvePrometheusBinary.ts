import { constants } from 'node:fs';
import { access } from 'node:fs/promises';

/** Where the Debian / Ubuntu package installs Prometheus. */
const DEFAULT_BINARY = '/usr/bin/prometheus';

/**
 * The Prometheus executable to run: the explicit one, else $PROMETHEUS_BIN, else the Debian
 * package location. Fails up front with installation advice, because a spawn ENOENT deep in a
 * test run says nothing about what is missing.
 */
export async function resolvePrometheusBinary(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<string> {
  const fromEnv = env['PROMETHEUS_BIN'];
  const binary = explicit ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_BINARY);
  const source =
    explicit !== undefined
      ? 'the binary option'
      : binary === DEFAULT_BINARY
        ? 'the default location'
        : 'PROMETHEUS_BIN';
  try {
    await access(binary, constants.X_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not executable';
    throw new Error(
      `Prometheus binary ${binary} (from ${source}) ${reason}. ` +
        'Install Prometheus (Debian/Ubuntu: apt-get install prometheus) or point PROMETHEUS_BIN ' +
        'or the binary option at a prometheus executable.'
    );
  }
  return binary;
}
