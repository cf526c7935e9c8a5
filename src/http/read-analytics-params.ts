import { checkDateRange } from './read-search-params.js';
import { ParamReader, type DateParam, type EnumParam, type IntegerParam, type ParamSpec } from './param-reader.js';
import type { QueryParams } from './parse-query-string.js';

/** Validated parameters of `GET /analytics/queries` and `GET /analytics/clicks`. */
export interface AnalyticsParams {
  kind: 'top' | 'no-hits';
  /** First and last day (UTC `YYYY-MM-DD`), null for the days kept / today. */
  from: string | null;
  to: string | null;
  /** Most queries listed, 1–1000; default 20. */
  limit: number;
}

const KIND: EnumParam<AnalyticsParams['kind']> = {
  kind: 'enum',
  name: 'kind',
  code: 'invalid_analytics_kind',
  values: ['top', 'no-hits'],
  default: 'top',
};
const FROM: DateParam = { kind: 'date', name: 'from', code: 'invalid_analytics_from', bound: 'start' };
const TO: DateParam = { kind: 'date', name: 'to', code: 'invalid_analytics_to', bound: 'start' };
const LIMIT: IntegerParam = {
  kind: 'integer',
  name: 'limit',
  code: 'invalid_analytics_limit',
  min: 1,
  max: 1000,
  default: 20,
};

/** The query parameters of `GET /analytics/queries`; the OpenAPI document is tested against this list. */
export const ANALYTICS_QUERIES_PARAMETERS: readonly ParamSpec[] = [KIND, FROM, TO, LIMIT];
/** The query parameters of `GET /analytics/clicks`. */
export const ANALYTICS_CLICKS_PARAMETERS: readonly ParamSpec[] = [FROM, TO];

const day = (time: number | null) => (time === null ? null : new Date(time).toISOString().slice(0, 10));

/** The validated parameters of an analytics report (`clicks`: only `from` and `to` are read). Throws `SearchError` (`invalid_analytics_*`). */
export function readAnalyticsParams(query: QueryParams, report: 'queries' | 'clicks'): AnalyticsParams {
  const r = new ParamReader(query, report === 'queries' ? ANALYTICS_QUERIES_PARAMETERS : ANALYTICS_CLICKS_PARAMETERS);
  const kind = report === 'queries' ? r.enumValue(KIND) : 'top';
  const from = r.date(FROM);
  const to = r.date(TO);
  checkDateRange(from, to, TO.code);
  return { kind, from: day(from), to: day(to), limit: report === 'queries' ? r.integer(LIMIT) : LIMIT.default };
}
