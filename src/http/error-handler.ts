import type { ErrorRequestHandler, Request, Response } from 'express';
import { SearchError } from '../errors.js';
import { requestLogger, routeOf } from './access-log.js';
import { requestIdOf } from './request-id.js';

/** The JSON body of every 4xx/5xx response. */
export interface ErrorBody {
  /** For people: names the parameter and the bad value. */
  message: string;
  /** Stable snake_case name for programs. */
  code: string;
  type: 'invalid_request' | 'auth' | 'system' | 'internal';
  /** The request's id (the `X-Request-Id` header), to find its log lines. */
  requestId?: string;
}

/**
 * Error code → HTTP status: the only such table in the project. Codes not listed
 * that start with `invalid_` are 400s; any other is a 500.
 */
const STATUS_BY_CODE: Record<string, number> = {
  invalid_query_string: 400,
  invalid_request: 400,
  unauthorized: 401,
  writes_disabled: 403,
  unpublished_needs_admin: 403,
  article_not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  article_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  disk_full: 507,
  journal_write_failed: 503,
  store_unavailable: 503,
  store_failed: 500,
  // nginx's "client closed request": nobody reads it, but it is not a fault of ours.
  client_closed: 499,
  index_loading: 503,
  overloaded: 503,
  internal: 500,
};

/** The HTTP status of an error code (see the table above). */
export function statusOfCode(code: string): number {
  return STATUS_BY_CODE[code] ?? (code.startsWith('invalid_') ? 400 : 500);
}

/** The contract's `type` for an HTTP status. */
export function typeOfStatus(status: number): ErrorBody['type'] {
  if (status === 401 || status === 403) return 'auth';
  if (status === 503 || status === 429 || status === 507) return 'system';
  if (status >= 500) return 'internal';
  return 'invalid_request';
}

/** Seconds a client should wait before retrying a 503: the index takes seconds to load, a full queue drains sooner. */
const RETRY_AFTER: Record<string, string> = { index_loading: '5', overloaded: '1', journal_write_failed: '5', store_unavailable: '2' };

/** Sends a contract error body with the status of `code` (and the request id, when the request has one). */
export function sendError(res: Response, code: string, message: string): void {
  const status = statusOfCode(code);
  const requestId = requestIdOf(res);
  const body: ErrorBody = { message, code, type: typeOfStatus(status), ...(requestId ? { requestId } : {}) };
  if (status === 503) res.set('Retry-After', RETRY_AFTER[code] ?? '5');
  res.status(status).json(body);
}

/** Logs an unexpected error with its request's id: through the request's logger, else `console.error`. */
function logError(req: Request, res: Response, err: unknown): void {
  const log = requestLogger(res);
  if (log) log.error({ err, method: req.method, route: routeOf(res) }, 'request failed');
  else console.error(`${req.method} ${req.path}:`, err);
}

/** An error from reading a request whose client hung up mid-body (or whose connection the server cut). */
function isHangUp(err: unknown, req: Request): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ECONNRESET' || code === 'ECONNABORTED' || code === 'ERR_STREAM_PREMATURE_CLOSE') return true;
  return (err as Error | null)?.message === 'aborted' || (req.destroyed && !req.complete);
}

/** Errors thrown by Express's own middleware carry a 4xx `status`; their messages may echo internals, so only the status is used. */
function clientErrorOf(err: unknown): { code: string; message: string } | null {
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (status === 404) return { code: 'route_not_found', message: 'No route matches this path.' };
  if (status === 413) return { code: 'payload_too_large', message: 'The request body is too large.' };
  return { code: 'invalid_request', message: 'The request could not be parsed (check its percent-encoding and body).' };
}

/**
 * The last middleware: turns anything thrown into a contract error body.
 * A `SearchError` keeps its code and message; a 4xx error from Express
 * middleware gets a generic message; anything else is logged (with the
 * request id) and answered as a 500 `internal` error without details
 * (no stack trace, no server path).
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) {
    next(err);
    return;
  }
  if (isHangUp(err, req)) {
    // The client went away (or the server cut a slow upload): not a fault of ours, no stack
    // trace; the access log counts it as 499 (or 408). Nobody reads this answer.
    sendError(res, 'client_closed', 'The client closed the connection before the request was read.');
    return;
  }
  if (err instanceof SearchError) {
    // A 503 while the index loads is expected, not a fault: only unexpected 5xx are logged.
    if (statusOfCode(err.code) >= 500 && statusOfCode(err.code) !== 503) logError(req, res, err);
    sendError(res, err.code, err.message);
    return;
  }
  const client = clientErrorOf(err);
  if (client) {
    sendError(res, client.code, client.message);
    return;
  }
  logError(req, res, err);
  sendError(res, 'internal', 'Internal error. It has been logged.');
};
