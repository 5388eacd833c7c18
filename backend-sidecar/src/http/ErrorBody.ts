/** The one shape of every error response. */
export interface ErrorBody {
  readonly error: {
    /** Stable, snake_case, for programs: bad_request, unauthorized, not_found, ... */
    readonly code: string;
    /** For people: what was wrong and what to change. */
    readonly message: string;
  };
}
