import type { Request, RequestHandler } from 'express';
import type { Alert } from '../alerts/alert.js';
import type { Alerts } from '../alerts/alerts-api.js';
import { etagOf, renderAtomFeed } from '../alerts/atom-feed.js';
import { SearchError } from '../errors.js';
import { hasReaderKey, sameKey } from './api-keys.js';
import type { ApiKeys } from './api-keys.js';
import type { AppDeps } from './app-deps.js';
import { parseQueryString } from './parse-query-string.js';
import { readAlertInput, readAlertPatch } from './read-alert-body.js';
import { readBody } from './read-body.js';

/** Largest body of `POST /alerts` and `PATCH /alerts/{id}`: 64 KB. */
export const MAX_ALERT_BODY_BYTES = 64 * 1024;
/** Matches shown with an alert by `GET /alerts` and `GET /alerts/{id}`. */
export const LATEST_MATCHES = 5;

/** The alerts, or 503 `index_loading` while they open; 403 `alerts_disabled` when the service has none. */
function requireAlerts(deps: AppDeps): Alerts {
  if (!deps.alerts)
    throw new SearchError(
      'alerts_disabled',
      'Alerts are off on this service: they need a writable journal folder and a key (ADMIN_API_KEY, or SEARCH_API_KEY).',
    );
  const alerts = deps.alerts();
  if (!alerts) throw new SearchError('index_loading', 'The index is still loading; retry in a few seconds.');
  return alerts;
}

async function jsonBody(req: Request): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json')
    throw new SearchError(
      'unsupported_media_type',
      `The body must be \`application/json\`, got ${type ? `\`${type.slice(0, 100)}\`` : 'no Content-Type'}.`,
    );
  const text = (await readBody(req, MAX_ALERT_BODY_BYTES)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SearchError('invalid_json', `The body is not valid JSON: ${(error as Error).message.slice(0, 200)}.`);
  }
}

async function alertOf(alerts: Alerts, id: unknown): Promise<Alert> {
  const alert = typeof id === 'string' ? await alerts.get(id) : undefined;
  if (!alert) throw new SearchError('alert_not_found', `No alert has the id \`${String(id).slice(0, 100)}\`.`);
  return alert;
}

/** The feed's URL, relative to the service (with its secret token). */
export function feedPath(alert: Alert): string {
  return `/alerts/${encodeURIComponent(alert.id)}/feed?token=${alert.feedToken}`;
}

/** An alert as the API shows it: the webhook's secret never, its delivery state and latest matches always. */
export async function alertView(alert: Alert, alerts: Alerts) {
  const [delivery, entries] = await Promise.all([
    alert.webhook ? alerts.deliveryOf(alert.id) : null,
    alerts.entries(alert.id),
  ]);
  return {
    id: alert.id,
    name: alert.name,
    ...alert.query,
    webhook: alert.webhook ? { url: alert.webhook.url } : null,
    paused: alert.paused,
    createdAt: alert.createdAt,
    updatedAt: alert.updatedAt,
    feedUrl: feedPath(alert),
    delivery,
    latestMatches: entries
      .slice(0, LATEST_MATCHES)
      .map((e) => ({ ...e.article, matchedAt: e.published, updatedAt: e.updated })),
  };
}

/** `POST /alerts`: 201 with the alert (and `Location`). */
export function createAlertHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const alerts = requireAlerts(deps);
    const alert = await alerts.create(readAlertInput(await jsonBody(req)));
    res
      .status(201)
      .location(`/alerts/${alert.id}`)
      .json(await alertView(alert, alerts));
  };
}

/** `GET /alerts`: `{alerts: [...]}`, oldest first. */
export function listAlertsHandler(deps: AppDeps): RequestHandler {
  return async (_req, res) => {
    const alerts = requireAlerts(deps);
    res
      .set('Cache-Control', 'no-store')
      .json({ alerts: await Promise.all((await alerts.list()).map((a) => alertView(a, alerts))) });
  };
}

/** `GET /alerts/{id}`. */
export function getAlertHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const alerts = requireAlerts(deps);
    res.set('Cache-Control', 'no-store').json(await alertView(await alertOf(alerts, req.params['id']), alerts));
  };
}

/** `PATCH /alerts/{id}`: name, query and filters, webhook, paused. */
export function patchAlertHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const alerts = requireAlerts(deps);
    const current = await alertOf(alerts, req.params['id']);
    const updated = await alerts.update(current.id, readAlertPatch(await jsonBody(req), current.query));
    res.json(await alertView(updated ?? (await alertOf(alerts, current.id)), alerts));
  };
}

/** `DELETE /alerts/{id}`: 204. */
export function deleteAlertHandler(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const alerts = requireAlerts(deps);
    if (!(await alerts.remove((await alertOf(alerts, req.params['id'])).id)))
      throw new SearchError('alert_not_found', 'No such alert.');
    res.status(204).end();
  };
}

/**
 * `GET /alerts/{id}/feed`: the alert's Atom feed. Readable with the alert's
 * secret `token` in the URL (what a feed reader can send), or with a key that
 * may manage alerts. `ETag` (of the entries, whatever host name the request used) / `If-None-Match` → 304.
 */
export function alertFeedHandler(deps: AppDeps, keys: ApiKeys): RequestHandler {
  return async (req, res) => {
    const alerts = requireAlerts(deps);
    const alert = await alertOf(alerts, req.params['id']);
    const token = parseQueryString(req.originalUrl).get('token')?.[0];
    const tokenOk = token !== undefined && sameKey(token, alert.feedToken);
    if (!tokenOk && !hasReaderKey(req, keys)) {
      throw new SearchError(
        'unauthorized',
        'This feed needs its `token` (the `feedUrl` of the alert carries it) or a key.',
      );
    }
    const entries = await alerts.entries(alert.id);
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const body = renderAtomFeed(alert, entries, {
      self: `${origin}${feedPath(alert)}`,
      article: (id, url) => url ?? `${origin}/articles/${encodeURIComponent(id)}`,
    });
    // Of the feed's content, not of the host name its links were made with (the same feed behind two names is one).
    const etag = etagOf(
      JSON.stringify([
        alert.name,
        alert.query.q,
        alert.updatedAt,
        entries.map((e) => [e.article.articleId, e.digest, e.updated]),
      ]),
    );
    res.set({ ETag: etag, 'Cache-Control': 'private, no-cache' });
    const wanted = req.headers['if-none-match'];
    if (typeof wanted === 'string' && wanted.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
      res.status(304).end();
      return;
    }
    res.type('application/atom+xml; charset=utf-8').send(body);
  };
}
