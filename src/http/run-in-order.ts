import type { RequestHandler } from 'express';

/**
 * One middleware that runs `handlers` in order, each passing to the next with
 * `next()`, then hands on to the app's next layer; `next(error)`, a thrown error or
 * a rejected promise (an `async` middleware) skips the rest and passes the error
 * on, as Express does between layers. The router walks one layer instead of
 * several: per-request middleware (request id, access log, headers) cost a router
 * pass each otherwise.
 */
export function runInOrder(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let at = 0;
    const step = (error?: unknown): void => {
      // A falsy argument is no error, as for Express's own `next`.
      const handler = error ? undefined : handlers[at++];
      if (!handler) {
        if (error) next(error);
        else next();
        return;
      }
      const result: unknown = handler(req, res, step);
      if (result instanceof Promise)
        result.catch((rejected: unknown) => next(rejected ?? new Error('Rejected promise')));
    };
    step();
  };
}
