import type { RequestHandler } from 'express';

/** Content-Security-Policy of API responses: JSON never loads anything, nor is framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Content-Security-Policy of the static UI: its own scripts, styles and API only; no inline script. */
export const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Sets the headers every response carries: `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`,
 * `Cross-Origin-Resource-Policy: same-origin` (the CORS middleware relaxes it
 * for allowed origins) and the API's `Content-Security-Policy` (the static
 * files override it with {@link UI_CSP}).
 */
export function securityHeaders(): RequestHandler {
  const headers = Object.entries({
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Security-Policy': API_CSP,
  });
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
