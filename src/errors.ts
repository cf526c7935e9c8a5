import type { ErrorCode } from './error-codes.js';

export type { ErrorCode } from './error-codes.js';

/**
 * The one error class of the project. `code` is a stable snake_case name from
 * the catalogue (`error-codes.ts`) that callers can branch on; the HTTP layer
 * alone maps codes to status codes.
 */
export class SearchError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchError';
    this.code = code;
  }
}

/**
 * A file of the index that is missing, truncated or fails its checks (code
 * `index_corrupt`). Opening the index rebuilds it on this error only: any
 * other failure is reported as what it is, so a bug never passes for a
 * corrupt file and silently costs a full rebuild.
 */
export class CorruptIndexError extends SearchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('index_corrupt', message, options);
    this.name = 'CorruptIndexError';
  }
}
