/** A configuration value that cannot work; `key` names it so callers can point at the setting. */
export class IncidentConfigError extends Error {
  readonly key: string;

  constructor(key: string, message: string) {
    super(`incident config "${key}": ${message}`);
    this.name = 'IncidentConfigError';
    this.key = key;
  }
}
