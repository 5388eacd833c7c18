/**
 * Raised when files of a root-cause case do not follow the documented format. `where` names the
 * file (and line) so a dataset converter's bug can be found without a debugger.
 */
export class CaseFormatError extends Error {
  readonly where: string;

  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = 'CaseFormatError';
    this.where = where;
  }
}
