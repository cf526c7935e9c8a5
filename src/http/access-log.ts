import type { RequestHandler, Response } from 'express';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../log/create-logger.js';
import { requestIdOf } from './request-id.js';

/** Options of {@link accessLog}. */
export interface AccessLogOptions {
  /** Record each request's query string (search terms can be sensitive); default false. */
  logQueries?: boolean;
  /** Called once a request is answered or abandoned: route label, method, status, duration in seconds. */
  observe?: (route: string, method: string, status: number, seconds: number) => void;
}

/**
 * The route label of a response: the route pattern set by `createApp`; else
 * `static` (a file of the UI was served) or `unmatched` (an error, a 404).
 * Labels are few and fixed, so metrics stay small whatever paths clients try.
 */
export function routeOf(res: Response): string {
  const route: unknown = res.locals['route'];
  if (typeof route === 'string') return route;
  return res.statusCode < 400 ? 'static' : 'unmatched';
}

/** A query string without the `x-algolia-api-key` an Algolia client may put there: keys are never logged. */
function withoutKeys(query: string): string {
  return query.replace(/(^|&)x-algolia-api-key=[^&]*/gi, '$1x-algolia-api-key=(redacted)');
}

/** Connections the server cut because their request took too long to arrive (answered 408 on the socket). */
const timedOut = new WeakSet<object>();

/** Notes that the server answered 408 on `socket` and closed it (see `SERVER_TIMEOUTS`). */
export function markTimedOut(socket: object): void {
  timedOut.add(socket);
}

/**
 * The status a request ended with, as logs and metrics count it: the one sent
 * when the response completed; else 408 when the server cut a request that was
 * too slow to arrive, and 499 (nginx's "client closed request") when the client
 * went away before the answer. Never the 200 a response starts with.
 */
export function finalStatus(req: { socket?: object | null }, res: Response): number {
  if (res.writableFinished) return res.statusCode;
  return req.socket && timedOut.has(req.socket) ? 408 : 499;
}

/**
 * The logger of a request (a child of the service's, carrying `reqId`), made on
 * first use from what {@link accessLog} left: most requests log nothing but their
 * access line, and a child logger per request was a cost on every search.
 */
export function requestLogger(res: Response): Logger | undefined {
  const log: unknown = res.locals['log'];
  if (log !== undefined) return log as Logger;
  const parent = res.locals['parentLog'] as Logger | undefined;
  if (!parent) return undefined;
  const child = parent.child({ reqId: requestIdOf(res) });
  res.locals['log'] = child;
  return child;
}

/**
 * One JSON line per request, once it is answered (or the client went away):
 * `reqId`, `method`, `route` (the pattern, e.g. `/articles/{articleId}`), `path`
 * (without the query string), `status`, `ms`, and `aborted: true` when the
 * response did not complete. The query string is recorded (`query`) only with
 * `logQueries`; headers never are. Handlers and the error handler get a child
 * logger with `reqId` from `requestLogger`. Without a logger, only `observe` is called.
 */
export function accessLog(logger: Logger | undefined, options: AccessLogOptions = {}): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    if (logger) res.locals['parentLog'] = logger;
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = routeOf(res);
      const status = finalStatus(req, res);
      options.observe?.(route, req.method, status, seconds);
      // Below `info` the line is never written: skip building it.
      if (!logger?.isLevelEnabled('info')) return;
      const log = requestLogger(res)!;
      const url = req.originalUrl;
      const q = url.indexOf('?');
      log.info(
        {
          method: req.method,
          route,
          path: q === -1 ? url : url.slice(0, q),
          ...(options.logQueries && q !== -1 ? { query: withoutKeys(url.slice(q + 1)) } : {}),
          status,
          ms: Math.round(seconds * 1e5) / 100,
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'request',
      );
    });
    next();
  };
}
