/** An evaluation input or snapshot the engine cannot use; `field` is the path of the bad value. */
export class IncidentInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'IncidentInputError';
    this.field = field;
  }
}
