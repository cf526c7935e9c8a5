import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

/** What a client's `X-Request-Id` may hold to be kept: 1–128 letters, digits and `._:-`. */
const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives each request an id: the client's `X-Request-Id` when it is a plain token
 * (see `VALID_ID`; anything else could forge log lines), else a random UUID. The id is
 * echoed in the `X-Request-Id` response header and kept in `res.locals.requestId`.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && VALID_ID.test(given) ? given : randomUUID();
    res.locals['requestId'] = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

/** The id {@link requestId} gave this response's request, or undefined outside that middleware. */
export function requestIdOf(res: Response): string | undefined {
  const id: unknown = res.locals['requestId'];
  return typeof id === 'string' ? id : undefined;
}
