import { MAX_QUERY_LENGTH } from '../query/search-params.js';
import { ParamReader, type IntegerParam, type ParamSpec, type StringParam } from './param-reader.js';
import type { QueryParams } from './parse-query-string.js';

/** Validated `GET /suggest` parameters. */
export interface SuggestParams {
  /** What the user has typed; its last word is completed. At most 512 UTF-16 units. */
  q: string;
  /** Most suggestions returned, 1–20; default 10. */
  limit: number;
}

const Q: StringParam = {
  kind: 'string',
  name: 'q',
  code: 'invalid_suggest_q',
  maxLength: MAX_QUERY_LENGTH,
  default: '',
};
const LIMIT: IntegerParam = {
  kind: 'integer',
  name: 'limit',
  code: 'invalid_suggest_limit',
  min: 1,
  max: 20,
  default: 10,
};

/** Every query parameter `GET /suggest` reads; the OpenAPI document is tested against this list. */
export const SUGGEST_PARAMETERS: readonly ParamSpec[] = [Q, LIMIT];

/** The validated parameters of a `GET /suggest` query string; throws `SearchError` (`invalid_suggest_q`, `invalid_suggest_limit`). */
export function readSuggestParams(query: QueryParams): SuggestParams {
  const r = new ParamReader(query, SUGGEST_PARAMETERS);
  return { q: r.string(Q), limit: r.integer(LIMIT) };
}
