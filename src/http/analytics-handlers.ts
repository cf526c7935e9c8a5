import type { RequestHandler } from 'express';
import { MAX_ANALYTICS_QUERY_LENGTH, MAX_CLICK_POSITION } from '../analytics/day-counts.js';
import type { SearchAnalytics } from '../analytics/search-analytics.js';
import { SearchError } from '../errors.js';
import { parseQueryString } from './parse-query-string.js';
import { readAnalyticsParams } from './read-analytics-params.js';
import { readBody } from './read-body.js';

/** Largest `POST /analytics/events` body, in bytes. */
export const MAX_EVENTS_BODY_BYTES = 16 * 1024;
/** Most events in one `POST /analytics/events`. */
export const MAX_EVENTS = 20;

/** One click as a page reports it. */
export interface ClickEvent {
  type: 'click';
  /** The query whose results were shown ('' or absent: unknown); at most 512 characters. */
  query: string;
  /** 1-based position of the clicked hit in the whole result list (page 2's first hit of 10 is 11), 1–1000. */
  position: number;
}

function badEvent(message: string): SearchError {
  return new SearchError('invalid_analytics_event', message);
}

function requireAnalytics(analytics: SearchAnalytics | undefined): SearchAnalytics {
  if (!analytics)
    throw new SearchError('analytics_disabled', 'Search analytics are turned off on this service (ANALYTICS=false).');
  return analytics;
}

/** The click events of a body: `{"events": [...]}` or one event; any other field of an event is ignored (and never stored). */
function readEvents(body: Buffer): ClickEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw badEvent('The body must be JSON: `{"events": [{"type": "click", "query": "…", "position": 1}]}`.');
  }
  const list =
    parsed !== null && typeof parsed === 'object' && 'events' in parsed
      ? (parsed as { events: unknown }).events
      : [parsed];
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_EVENTS)
    throw badEvent(`\`events\` must be a list of 1 to ${MAX_EVENTS} events.`);
  return list.map((event: unknown, i) => {
    const e = (event ?? {}) as Record<string, unknown>;
    if (e['type'] !== 'click') throw badEvent(`\`events[${i}].type\` must be \`click\`.`);
    const query = e['query'] ?? '';
    if (typeof query !== 'string' || query.length > 512)
      throw badEvent(`\`events[${i}].query\` must be a string of at most 512 characters.`);
    const position = e['position'];
    if (typeof position !== 'number' || !Number.isInteger(position) || position < 1 || position > MAX_CLICK_POSITION) {
      throw badEvent(`\`events[${i}].position\` must be an integer from 1 to ${MAX_CLICK_POSITION}.`);
    }
    return { type: 'click', query: query.slice(0, MAX_ANALYTICS_QUERY_LENGTH * 2), position };
  });
}

/** `POST /analytics/events`: counts the clicks a page reports; 202 `{"accepted": n}`. Bad events are a 400 and none is counted. */
export function analyticsEventsHandler(analytics: SearchAnalytics | undefined): RequestHandler {
  return async (req, res) => {
    const recorder = requireAnalytics(analytics);
    const events = readEvents(await readBody(req, MAX_EVENTS_BODY_BYTES));
    for (const event of events) recorder.recordClick(event.query, event.position);
    res.status(202).json({ accepted: events.length });
  };
}

/** `GET /analytics/queries?kind=top|no-hits&from&to&limit`: the queries report (admin key). */
export function analyticsQueriesHandler(analytics: SearchAnalytics | undefined): RequestHandler {
  return async (req, res) => {
    const recorder = requireAnalytics(analytics);
    const { kind, from, to, limit } = readAnalyticsParams(parseQueryString(req.originalUrl), 'queries');
    res.json(await recorder.queries(kind, from, to, limit));
  };
}

/** `GET /analytics/clicks?from&to`: clicks by hit position (admin key). */
export function analyticsClicksHandler(analytics: SearchAnalytics | undefined): RequestHandler {
  return async (req, res) => {
    const recorder = requireAnalytics(analytics);
    const { from, to } = readAnalyticsParams(parseQueryString(req.originalUrl), 'clicks');
    res.json(await recorder.clicks(from, to));
  };
}
