import type { RelatedParams } from '../query/related-articles.js';
import { ParamReader, type DateParam, type IntegerParam, type ParamSpec } from './param-reader.js';
import type { QueryParams } from './parse-query-string.js';
import { checkDateRange } from './read-search-params.js';

const LIMIT: IntegerParam = {
  kind: 'integer',
  name: 'limit',
  code: 'invalid_related_limit',
  min: 1,
  max: 20,
  default: 5,
};
const FROM: DateParam = { kind: 'date', name: 'from', code: 'invalid_related_from', bound: 'start' };
const TO: DateParam = { kind: 'date', name: 'to', code: 'invalid_related_to', bound: 'end' };
/** Absent: no date preference (the default 0 means the same). */
const HALF_LIFE_DAYS: IntegerParam = {
  kind: 'integer',
  name: 'halfLifeDays',
  code: 'invalid_related_half_life_days',
  min: 0,
  max: 36_500,
  default: 0,
};

/** Every query parameter `GET /articles/{articleId}/related` reads; the OpenAPI document is tested against this list. */
export const RELATED_PARAMETERS: readonly ParamSpec[] = [LIMIT, FROM, TO, HALF_LIFE_DAYS];

/** The validated parameters of a `GET /articles/{articleId}/related` query string; throws `SearchError` (`invalid_related_*`) naming the first bad one. */
export function readRelatedParams(query: QueryParams): RelatedParams {
  const r = new ParamReader(query, RELATED_PARAMETERS);
  const params: RelatedParams = {
    limit: r.integer(LIMIT),
    from: r.date(FROM),
    to: r.date(TO),
    halfLifeDays: r.integer(HALF_LIFE_DAYS) || null,
  };
  checkDateRange(params.from, params.to, TO.code);
  return params;
}
