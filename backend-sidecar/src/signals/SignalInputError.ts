/**
 * Raised for input that cannot be turned into a signal window at all (as opposed to data that
 * is merely missing, which is represented explicitly and never thrown). `field` names the
 * offending argument so callers can report it without parsing the message.
 */
export class SignalInputError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'SignalInputError';
    this.field = field;
  }
}
