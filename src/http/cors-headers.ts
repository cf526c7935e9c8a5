import type { Request, RequestHandler, Response } from 'express';

/** Methods of the read routes. */
export const CORS_METHODS = 'GET, HEAD, OPTIONS';
/** Request headers a cross-origin caller may send (`Authorization` or `X-Algolia-API-Key` carries an API key). */
export const CORS_HEADERS =
  'Accept, Accept-Language, Authorization, Content-Language, Content-Type, X-Algolia-API-Key, X-Algolia-Application-Id';
/** Response headers a cross-origin caller may read beyond the safelisted ones. */
export const CORS_EXPOSED_HEADERS = 'X-Request-Id, X-Algolia-Ignored-Params';
/** How long a browser may cache a preflight answer, in seconds. */
export const CORS_MAX_AGE = 600;

/** True when `origin` may read responses under `corsOrigins` (`'*'` allows any). */
export function isOriginAllowed(corsOrigins: readonly string[], origin: string | undefined): origin is string {
  return origin !== undefined && origin !== '' && (corsOrigins.includes('*') || corsOrigins.includes(origin));
}

/**
 * CORS for the origins in `corsOrigins` (exact `scheme://host[:port]` strings, or
 * `'*'` for any): a request from an allowed `Origin` gets
 * `Access-Control-Allow-Origin` set to that origin and
 * `Cross-Origin-Resource-Policy: cross-origin`; any other gets no CORS header.
 * `Vary: Origin` is sent whenever CORS is configured, since responses then
 * differ by origin. No credentials are ever allowed. Preflights are answered
 * by {@link answerOptions}.
 */
export function corsHeaders(corsOrigins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    if (corsOrigins.length > 0) {
      res.vary('Origin');
      const origin = req.get('Origin');
      if (isOriginAllowed(corsOrigins, origin)) {
        res.set('Access-Control-Allow-Origin', origin);
        res.set('Cross-Origin-Resource-Policy', 'cross-origin');
        res.set('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
      }
    }
    next();
  };
}

/**
 * Answers `OPTIONS` on a known route: 204 with `Allow`, plus, for a CORS
 * preflight from an allowed origin, the allowed methods and headers and a max
 * age. A preflight from another origin gets no CORS headers, so the browser
 * refuses the request.
 */
export function answerOptions(
  corsOrigins: readonly string[],
  methods = CORS_METHODS,
): (req: Request, res: Response) => void {
  return (req, res) => {
    res.set('Allow', methods);
    if (isOriginAllowed(corsOrigins, req.get('Origin')) && req.get('Access-Control-Request-Method')) {
      res.set({
        'Access-Control-Allow-Methods': methods,
        'Access-Control-Allow-Headers': CORS_HEADERS,
        'Access-Control-Max-Age': String(CORS_MAX_AGE),
      });
    }
    res.status(204).end();
  };
}
