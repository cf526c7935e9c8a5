import type { RequestHandler } from 'express';

/**
 * One middleware that runs `handlers` in order, each passing to the next with
 * `next()`, then hands on to the app's next layer; `next(error)` skips the rest
 * and passes the error on. Behaves as `app.use` of each in turn for middleware
 * that calls `next` (errors thrown are caught by the layer that runs this one), but
 * the router walks one layer instead of several: per-request middleware
 * (request id, access log, headers) costs a router pass each otherwise.
 */
export function runInOrder(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let at = 0;
    const step = (error?: unknown): void => {
      // A falsy argument is no error, as for Express's own `next`.
      const handler = error ? undefined : handlers[at++];
      if (handler) void handler(req, res, step);
      else if (error) next(error);
      else next();
    };
    step();
  };
}
