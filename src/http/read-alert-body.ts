import { SearchError } from '../errors.js';
import type { AlertQuery, AlertWebhook } from '../alerts/alert.js';
import type { AlertInput, AlertPatch } from '../alerts/alert-service.js';
import { MAX_QUERY_LENGTH } from '../query/search-params.js';
import { parseIsoDate } from './parse-iso-date.js';
import { MAX_FILTER_VALUE_LENGTH, MAX_FILTER_VALUES } from './read-search-params.js';

/** Longest alert name, in UTF-16 units. */
export const MAX_ALERT_NAME = 200;
/** Longest webhook URL, in UTF-16 units. */
export const MAX_WEBHOOK_URL = 2048;
/** Webhook secret length bounds, in UTF-16 units. */
export const WEBHOOK_SECRET_LENGTH = { min: 16, max: 256 } as const;

const FILTERS = ['source', 'section', 'author', 'tag'] as const;
const QUERY_FIELDS = ['q', 'from', 'to', ...FILTERS] as const;
const FIELDS = new Set<string>(['name', ...QUERY_FIELDS, 'webhook', 'paused']);

const shown = (value: unknown) => JSON.stringify(value)?.slice(0, 80) ?? String(value);

function text(body: Record<string, unknown>, field: 'q' | 'name', max: number): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new SearchError(
      field === 'q' ? 'invalid_alert_q' : 'invalid_alert_name',
      `\`${field}\` must be a non-empty string of at most ${max} characters, got ${shown(value)}.`,
    );
  }
  return value;
}

/** An ISO 8601 date or date-time, kept as a normalized UTC time (`from`: start of a bare day; `to`: its end). */
function date(body: Record<string, unknown>, field: 'from' | 'to'): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  const ms = typeof value === 'string' ? parseIsoDate(value, field === 'from' ? 'start' : 'end') : null;
  if (ms === null)
    throw new SearchError(
      field === 'from' ? 'invalid_alert_from' : 'invalid_alert_to',
      `\`${field}\` must be an ISO 8601 date (2025-07-25) or date-time with a zone, got ${shown(value)}.`,
    );
  return new Date(ms).toISOString();
}

/** A metadata filter: one string or a list of them, as `/search` takes repeated parameters. */
function filter(body: Record<string, unknown>, field: (typeof FILTERS)[number]): string[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  if (
    list.length > MAX_FILTER_VALUES ||
    list.some((v) => typeof v !== 'string' || v.trim() === '' || v.length > MAX_FILTER_VALUE_LENGTH)
  ) {
    throw new SearchError(
      'invalid_alert_filter',
      `\`${field}\` must be a string or a list of at most ${MAX_FILTER_VALUES} non-empty strings of at most ${MAX_FILTER_VALUE_LENGTH} characters, got ${shown(value)}.`,
    );
  }
  return (list as string[]).map((v) => v.trim());
}

function webhook(value: unknown): AlertWebhook | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new SearchError('invalid_alert_webhook', '`webhook` must be an object `{"url", "secret"}` or null.');
  const hook = value as Record<string, unknown>;
  const extra = Object.keys(hook).find((k) => k !== 'url' && k !== 'secret');
  if (extra !== undefined)
    throw new SearchError(
      'invalid_alert_webhook',
      `Unknown field \`webhook.${extra.slice(0, 60)}\`; a webhook has \`url\` and \`secret\`.`,
    );
  if (typeof hook['url'] !== 'string' || hook['url'].length > MAX_WEBHOOK_URL)
    throw new SearchError(
      'invalid_alert_webhook',
      `\`webhook.url\` must be a URL of at most ${MAX_WEBHOOK_URL} characters.`,
    );
  const secret = hook['secret'];
  const { min, max } = WEBHOOK_SECRET_LENGTH;
  if (typeof secret !== 'string' || secret.length < min || secret.length > max) {
    throw new SearchError(
      'invalid_alert_webhook',
      `\`webhook.secret\` must be a string of ${min} to ${max} characters (the key of the \`X-Signature\` HMAC).`,
    );
  }
  return { url: hook['url'], secret };
}

/** The body as an object with known fields only (`invalid_json` / `invalid_alert_field` otherwise). */
function fieldsOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new SearchError(
      'invalid_json',
      'The body must be a JSON object such as `{"name": "Harbour", "q": "harbour tolls"}`.',
    );
  const extra = Object.keys(value).find((k) => !FIELDS.has(k));
  if (extra !== undefined)
    throw new SearchError(
      'invalid_alert_field',
      `Unknown field \`${extra.slice(0, 80)}\`; an alert has ${[...FIELDS].map((f) => `\`${f}\``).join(', ')}.`,
    );
  return value as Record<string, unknown>;
}

function query(body: Record<string, unknown>, base: AlertQuery | null): AlertQuery {
  const q: AlertQuery = {
    q: body['q'] === undefined && base ? base.q : text(body, 'q', MAX_QUERY_LENGTH),
    from: body['from'] === undefined && base ? base.from : date(body, 'from'),
    to: body['to'] === undefined && base ? base.to : date(body, 'to'),
    source: body['source'] === undefined && base ? base.source : filter(body, 'source'),
    section: body['section'] === undefined && base ? base.section : filter(body, 'section'),
    author: body['author'] === undefined && base ? base.author : filter(body, 'author'),
    tag: body['tag'] === undefined && base ? base.tag : filter(body, 'tag'),
  };
  if (q.from !== null && q.to !== null && q.from > q.to)
    throw new SearchError(
      'invalid_alert_to',
      `\`to\` must not be before \`from\`, got \`from\` = \`${q.from}\` and \`to\` = \`${q.to}\`.`,
    );
  return q;
}

function paused(value: unknown): boolean {
  if (typeof value !== 'boolean')
    throw new SearchError('invalid_alert_paused', `\`paused\` must be true or false, got ${shown(value)}.`);
  return value;
}

/** A `POST /alerts` body: `name` and `q` required; filters, `webhook` and `paused` optional. Throws naming the field. */
export function readAlertInput(value: unknown): AlertInput {
  const body = fieldsOf(value);
  return {
    name: text(body, 'name', MAX_ALERT_NAME).trim(),
    query: query(body, null),
    webhook: body['webhook'] === undefined ? null : webhook(body['webhook']),
    ...(body['paused'] === undefined ? {} : { paused: paused(body['paused']) }),
  };
}

/** A `PATCH /alerts/{id}` body over the alert's current query: only the fields given change. */
export function readAlertPatch(value: unknown, current: AlertQuery): AlertPatch {
  const body = fieldsOf(value);
  const patch: AlertPatch = {};
  if (body['name'] !== undefined) patch.name = text(body, 'name', MAX_ALERT_NAME).trim();
  if (QUERY_FIELDS.some((f) => body[f] !== undefined)) patch.query = query(body, current);
  if (body['webhook'] !== undefined) patch.webhook = webhook(body['webhook']);
  if (body['paused'] !== undefined) patch.paused = paused(body['paused']);
  return patch;
}
