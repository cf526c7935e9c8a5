import type { Request, Response } from 'express';

/**
 * Answers 200 with `body` as JSON (`Content-Type: application/json; charset=utf-8`,
 * `Content-Length`; no body for `HEAD`), the hot path's answer. Unlike Express's
 * `res.json` it computes no `ETag` (a SHA-1 of the whole body, then a `304` check):
 * a search response carries its own `processingTimeMs`, so two answers to one
 * query never share a tag and the hash was pure cost on every request.
 * The body is encoded once into a Buffer of its exact length, which also gives
 * `Content-Length`: a string handed to `res.end` is measured, then joined to the
 * headers and encoded by the socket into a scratch buffer three times its length.
 */
export function sendJson(req: Request, res: Response, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes.length);
  if (req.method === 'HEAD') res.end();
  else res.end(bytes);
}
