/**
 * Raised for input a forecaster cannot work with at all: an empty or non-numeric series, NaN
 * handed to a model that needs gap-free values, too little history for the requested model,
 * or a bad option. Data that is merely missing is represented explicitly and never thrown.
 * `field` names the offending argument so callers can report it without parsing the message.
 */
export class ForecastInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'ForecastInputError';
    this.field = field;
  }
}
