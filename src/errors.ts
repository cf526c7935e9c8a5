/**
 * The one error class of the project. `code` is a stable snake_case name that
 * callers can branch on; the HTTP layer alone maps codes to status codes.
 */
export class SearchError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchError';
    this.code = code;
  }
}
