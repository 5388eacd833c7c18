/**
 * A model manifest that is malformed, breaks the schema's rules, or does not match the data it
 * would score. `field` is the JSON path of the offending value (e.g. `window.length`,
 * `signals[2].name`) so an operator can fix the file without reading code.
 */
export class ManifestError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`manifest ${field}: ${message}`);
    this.name = 'ManifestError';
    this.field = field;
  }
}
