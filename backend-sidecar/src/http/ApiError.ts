/**
 * An error meant for the API client: its status, a stable machine-readable code and a message
 * that says what to change. Route handlers throw it; the error handler turns it into
 * { error: { code, message } }.
 */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly code: string;

  constructor(statusCode: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
  }
}
