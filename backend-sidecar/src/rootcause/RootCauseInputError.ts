/**
 * Raised for input the ranker cannot work with at all: series of the wrong length, a call graph
 * naming services that have no entry, an alert outside the grid. Data that is merely missing is
 * passed as NaN and never raises. `field` names the offending part so callers can report it
 * without parsing the message.
 */
export class RootCauseInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'RootCauseInputError';
    this.field = field;
  }
}
