import type { Express } from 'express';

/**
 * While the service drains, a response closes its connection once it is sent
 * (`Connection: close`), so the client reconnects elsewhere and the socket ends
 * gracefully after its data is flushed. Decided when the headers are written,
 * not when the request arrived: a request queued before the stop began is
 * answered during the drain, and its connection must close too.
 *
 * Installed once on `app`'s response prototype (`app.response`, which Express
 * gives every response of this app), not by a middleware wrapping each response's
 * `writeHead`: that cost a closure and an own property on every response.
 */
export function closeWhenStopping(app: Express, stopping: () => boolean): void {
  const response = app.response;
  const writeHead = response.writeHead;
  response.writeHead = function (this: typeof response, ...args: Parameters<typeof writeHead>) {
    if (stopping() && !this.headersSent) this.setHeader('Connection', 'close');
    return writeHead.apply(this, args);
  } as typeof writeHead;
}
