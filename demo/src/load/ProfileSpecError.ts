/**
 * A load profile that cannot be used, with where the problem is (file:line:column, or the
 * column of a command-line profile string) kept apart from what it is, so callers can show
 * either.
 */
export class ProfileSpecError extends Error {
  constructor(
    readonly where: string,
    readonly problem: string
  ) {
    super(`${where}: ${problem}`);
    this.name = 'ProfileSpecError';
  }
}
