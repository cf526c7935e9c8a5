import http, { type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../error-codes.js';
import { markTimedOut } from '../http/access-log.js';
import type { CliSettings } from './parse-args.js';

/**
 * Server timeouts against slow or idle clients, in milliseconds, checked every
 * second: all of a request's headers within 10 s, the whole request within 30 s,
 * and an idle keep-alive connection closed after 5 s.
 */
export const SERVER_TIMEOUTS = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  checkEveryMs: 1_000,
} as const;

/**
 * Starts the HTTP server of `app` on the settings' host and port, with
 * `SERVER_TIMEOUTS`; resolves once it listens, with the URL it listens on
 * (the port the system chose for port 0). Rejects when it cannot listen.
 */
export async function listenHttp(
  app: RequestListener,
  settings: Pick<CliSettings, 'host' | 'port'>,
): Promise<{ server: Server; url: string; host: string }> {
  const server = http.createServer(
    {
      headersTimeout: SERVER_TIMEOUTS.headersMs,
      requestTimeout: SERVER_TIMEOUTS.requestMs,
      connectionsCheckingInterval: SERVER_TIMEOUTS.checkEveryMs,
    },
    app,
  );
  server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  server.on('clientError', answerClientError);
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : settings.port}`;
  return { server, url, host };
}

/**
 * Requests Node rejects before Express sees them (a header over 16 KB, a malformed
 * request line) still get a JSON error body in the contract's shape.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') markTimedOut(socket);
  if (!socket.writable) return void socket.destroy();
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const status = tooLarge
    ? '431 Request Header Fields Too Large'
    : timedOut
      ? '408 Request Timeout'
      : '400 Bad Request';
  const code: ErrorCode = tooLarge ? 'request_too_large' : timedOut ? 'request_timeout' : 'malformed_request';
  const body = JSON.stringify({
    message: tooLarge
      ? 'The request line or headers are too large (16 KB at most).'
      : timedOut
        ? 'The request took too long to arrive.'
        : 'The request is malformed.',
    code,
    type: 'invalid_request',
  });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
