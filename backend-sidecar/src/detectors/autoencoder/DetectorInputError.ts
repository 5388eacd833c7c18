/**
 * Input the detector cannot score at all (a caller bug such as an empty series list or a
 * tensor containing NaN), as opposed to data that is merely missing, which becomes the
 * `unknown` state. `field` names the offending argument.
 */
export class DetectorInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'DetectorInputError';
    this.field = field;
  }
}
