import type { RequestHandler } from 'express';

/**
 * While the service drains, a response closes its connection once it is sent
 * (`Connection: close`), so the client reconnects elsewhere and the socket ends
 * gracefully after its data is flushed. Decided when the headers are written,
 * not when the request arrived: a request queued before the stop began is
 * answered during the drain, and its connection must close too.
 */
export function closeWhenStopping(stopping: () => boolean): RequestHandler {
  return (_req, res, next) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
      if (stopping() && !this.headersSent) this.setHeader('Connection', 'close');
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  };
}
