import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { SearchError } from '../errors.js';

/** The keys of a service: `admin` for the write routes (null: writes off), `search` for the read routes (null: open). */
export interface ApiKeys {
  admin: string | null;
  search: string | null;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Compares two keys in time independent of where they differ (both hashed to the same length first). */
export function sameKey(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The bearer token of a request, or null. */
function bearerOf(req: Request): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/**
 * The key of an Algolia client: the `X-Algolia-API-Key` header, or the `x-algolia-api-key` query
 * parameter (where Algolia's browser clients may put it), or null.
 */
function algoliaKeyOf(req: Request): string | null {
  const header = req.headers['x-algolia-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const match = /[?&]x-algolia-api-key=([^&#]*)/i.exec(req.originalUrl);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!.replace(/\+/g, ' ')) || null;
  } catch {
    return null;
  }
}

/** True when the request carries the admin key (and one is set). */
export function hasAdminKey(req: Request, keys: ApiKeys): boolean {
  const token = bearerOf(req);
  return keys.admin !== null && token !== null && sameKey(token, keys.admin);
}

function unauthorized(message: string): SearchError {
  return new SearchError('unauthorized', message);
}

/**
 * Guards a write route: 403 `writes_disabled` when no admin key is set (saying
 * how to set one), 401 `unauthorized` when the request lacks it or carries
 * another (the search key included). Keys are never logged nor echoed.
 * `what` names what is off without the key in the 403 (default: writes).
 */
export function requireAdmin(keys: ApiKeys, what = 'Writes are'): RequestHandler {
  return (req, res, next) => {
    if (keys.admin === null) {
      throw new SearchError(
        'writes_disabled',
        `${what} turned off on this service: start it with ADMIN_API_KEY (or --admin-key) set, then send \`Authorization: Bearer <key>\`.`,
      );
    }
    if (!hasAdminKey(req, keys)) {
      res.set('WWW-Authenticate', 'Bearer realm="newsroom-search admin"');
      throw unauthorized(
        bearerOf(req) === null
          ? 'This route needs the admin key: send `Authorization: Bearer <ADMIN_API_KEY>`.'
          : 'The key sent is not the admin key.',
      );
    }
    next();
  };
}

/**
 * Guards a read route when a search key is set: the search key or the admin key is needed (401
 * otherwise), as a bearer token or, with `algolia` (the Algolia-compatible routes), as
 * `X-Algolia-API-Key` too.
 */
export function requireReader(keys: ApiKeys, options: { algolia?: boolean } = {}): RequestHandler {
  return (req, res, next) => {
    if (keys.search === null) return next();
    const token = bearerOf(req) ?? (options.algolia ? algoliaKeyOf(req) : null);
    if (token !== null && (sameKey(token, keys.search) || (keys.admin !== null && sameKey(token, keys.admin))))
      return next();
    res.set('WWW-Authenticate', 'Bearer realm="newsroom-search"');
    const how = options.algolia
      ? '`X-Algolia-API-Key: <SEARCH_API_KEY>` (or `Authorization: Bearer <SEARCH_API_KEY>`)'
      : '`Authorization: Bearer <SEARCH_API_KEY>`';
    throw unauthorized(token === null ? `This service needs a key: send ${how}.` : 'The key sent is not valid here.');
  };
}

/** True when the request carries a key that may read (the search key or the admin key; any request when no key is set at all). */
export function hasReaderKey(req: Request, keys: ApiKeys): boolean {
  const token = bearerOf(req);
  if (token === null) return false;
  return (keys.search !== null && sameKey(token, keys.search)) || (keys.admin !== null && sameKey(token, keys.admin));
}

/**
 * Guards the alert routes: the admin key, or the search key when one is set
 * (alerts are shared by every holder of either key: a key names no person).
 * 403 `alerts_disabled` when neither key is set (alerts make the service call
 * out and keep state, never for anonymous callers); 401 without a valid key.
 */
export function requireAlertManager(keys: ApiKeys): RequestHandler {
  return (req, res, next) => {
    if (keys.admin === null && keys.search === null) {
      throw new SearchError(
        'alerts_disabled',
        'Alerts are off on this service: start it with ADMIN_API_KEY or SEARCH_API_KEY set, then send `Authorization: Bearer <key>`.',
      );
    }
    if (hasReaderKey(req, keys)) return next();
    res.set('WWW-Authenticate', 'Bearer realm="newsroom-search alerts"');
    throw unauthorized(
      bearerOf(req) === null
        ? 'The alert routes need a key: send `Authorization: Bearer <SEARCH_API_KEY or ADMIN_API_KEY>`.'
        : 'The key sent is not valid here.',
    );
  };
}
