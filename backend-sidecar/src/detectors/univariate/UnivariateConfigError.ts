/** Raised for a configuration or snapshot the detector cannot run with; `field` names the culprit. */
export class UnivariateConfigError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'UnivariateConfigError';
    this.field = field;
  }
}
