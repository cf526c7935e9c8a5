import type { ErrorRequestHandler, Request, Response } from 'express';
import type { ErrorCode } from '../error-codes.js';
import { SearchError } from '../errors.js';
import { requestLogger, routeOf } from './access-log.js';
import { statusOfCode } from './error-status.js';
import { requestIdOf } from './request-id.js';

export { statusOfCode } from './error-status.js';

/** The JSON body of every 4xx/5xx response. */
export interface ErrorBody {
  /** For people: names the parameter and the bad value. */
  message: string;
  /** Stable snake_case name for programs (see `error-codes.ts`). */
  code: ErrorCode;
  type: 'invalid_request' | 'auth' | 'system' | 'internal';
  /** The request's id (the `X-Request-Id` header), to find its log lines. */
  requestId?: string;
}

/** The contract's `type` for an HTTP status. */
export function typeOfStatus(status: number): ErrorBody['type'] {
  if (status === 401 || status === 403) return 'auth';
  if (status === 503 || status === 429 || status === 507) return 'system';
  if (status >= 500) return 'internal';
  return 'invalid_request';
}

/** Seconds a client should wait before retrying a 503: the index takes seconds to load, a full queue drains sooner. */
const RETRY_AFTER: Partial<Record<ErrorCode, string>> = {
  index_loading: '5',
  overloaded: '1',
  journal_write_failed: '5',
  store_unavailable: '2',
};

/** Sends a contract error body with the status of `code` (and the request id, when the request has one). */
export function sendError(res: Response, code: ErrorCode, message: string): void {
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
function clientErrorOf(err: unknown): { code: ErrorCode; message: string } | null {
  const status =
    (err as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (err as { statusCode?: unknown } | null)?.statusCode;
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
