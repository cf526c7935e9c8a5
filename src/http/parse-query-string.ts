import { SearchError } from '../errors.js';
import { quoteValue } from './quote-value.js';

/** A parsed query string: each key with its values in the order given. */
export type QueryParams = Map<string, string[]>;

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new SearchError(
      'invalid_query_string',
      `The query string has broken percent-encoding in \`${quoteValue(raw)}\`.`,
    );
  }
}

/**
 * The query string of a request URL (`req.originalUrl`: path plus `?…`), parsed
 * the way an HTML form encodes it: pairs split on `&`, key and value split on the
 * first `=`, `+` read as a space, then percent-decoded as UTF-8. A pair without
 * `=` has the value `''`; empty pairs (`a=1&&b=2`) are skipped.
 *
 * Keys are plain strings in a `Map`: `__proto__` or `constructor` is just a key,
 * and brackets mean nothing (`q[]=x` is the key `q[]`, not an array `q`).
 *
 * Throws `SearchError('invalid_query_string')` on percent-encoding that does not
 * decode to UTF-8 (`%E0%A4%A`, `%ZZ`, a lone surrogate) and on a NUL character
 * (`%00`) anywhere in a key or a value.
 */
export function parseQueryString(url: string): QueryParams {
  const params: QueryParams = new Map();
  const mark = url.indexOf('?');
  if (mark === -1) return params;
  const hash = url.indexOf('#', mark);
  const query = url.slice(mark + 1, hash === -1 ? undefined : hash);
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    if (key.includes('\0') || value.includes('\0')) {
      throw new SearchError('invalid_query_string', 'The query string contains a NUL character (`%00`).');
    }
    const values = params.get(key);
    if (values) values.push(value);
    else params.set(key, [value]);
  }
  return params;
}
