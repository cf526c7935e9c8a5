import { existsSync, statSync } from 'node:fs';
import express, { type Request, type Response } from 'express';
import { SearchError } from '../errors.js';
import { accessLog } from './access-log.js';
import { Admission } from './admission.js';
import { APP_DEFAULTS, type AppDeps } from './app-deps.js';
import { articleHandler } from './article-handler.js';
import { answerOptions, corsHeaders } from './cors-headers.js';
import { requireAdmin, requireAlertManager, requireReader } from './api-keys.js';
import {
  alertFeedHandler,
  createAlertHandler,
  deleteAlertHandler,
  getAlertHandler,
  listAlertsHandler,
  patchAlertHandler,
} from './alert-handlers.js';
import { bulkArticlesHandler, deleteArticleHandler, putArticleHandler } from './write-handlers.js';
import { errorHandler } from './error-handler.js';
import { exportHandler } from './export-handler.js';
import { healthHandler, livenessHandler } from './health-handler.js';
import { closeWhenStopping } from './close-when-stopping.js';
import { createMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { quoteValue } from './quote-value.js';
import { articleRoute } from './related-handler.js';
import { requestId } from './request-id.js';
import { runInOrder } from './run-in-order.js';
import { searchHandler } from './search-handler.js';
import { securityHeaders, UI_CSP } from './security-headers.js';
import { suggestHandler } from './suggest-handler.js';
import { getSynonymsHandler, putSynonymsHandler } from './synonym-handlers.js';
import { analyticsClicksHandler, analyticsEventsHandler, analyticsQueriesHandler } from './analytics-handlers.js';
import { algoliaErrorHandler, algoliaQueriesHandler, algoliaQueryHandler } from './algolia/algolia-handlers.js';

export type { AppDeps } from './app-deps.js';

function methodNotAllowed(path: string, allow: string) {
  return (req: Request, res: Response): never => {
    res.set('Allow', allow);
    const verbs = allow.split(', ').filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
    const quoted = verbs.map((v) => `\`${v}\``);
    const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted[0];
    throw new SearchError(
      'method_not_allowed',
      `\`${quoteValue(req.method)}\` is not allowed on \`${path}\`; use ${list}.`,
    );
  };
}

/** Handlers of one route by method. */
type Methods = Partial<Record<'get' | 'put' | 'delete' | 'post' | 'patch', express.RequestHandler[]>>;

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * The HTTP API as an Express app (see the API contract and `GET /openapi.json`):
 * `GET /search`, `GET /search/export`, `GET /articles/{articleId}` (and its `/related`), `GET /suggest`, `GET /health`,
 * `GET /health/live`, the saved searches (`/alerts`, `/alerts/{id}`, `/alerts/{id}/feed`),
 * `GET /metrics`, `GET /openapi.json`, `GET`/`PUT /synonyms`, the Algolia-compatible
 * `POST /1/indexes/*\/queries` and `POST /1/indexes/{indexName}/query` (errors in Algolia's
 * shape), the analytics routes (`POST /analytics/events`, `GET /analytics/queries`,
 * `GET /analytics/clicks`), and the static UI at `/` (with the InstantSearch example at
 * `/instantsearch/` and the editors' analytics page at `/analytics/`) when `deps.publicDir` exists. Every error, 404 and 405 included, is a
 * contract JSON body; every response carries the security headers and an
 * `X-Request-Id`, and is counted in the metrics and logged (see `accessLog`).
 * Searches and highlighted articles go through admission control; the other
 * routes answer at once. Never listens: the caller does, or supertest.
 */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const corsOrigins = deps.corsOrigins ?? [];
  app.disable('x-powered-by');
  // Query strings are parsed by parseQueryString, which rejects what Express's parser would turn into arrays or objects.
  app.set('query parser', false);

  const metrics = deps.metrics ?? createMetrics({ getIndex: deps.getIndex });
  const admission =
    deps.admission ??
    new Admission({
      maxQueue: APP_DEFAULTS.searchQueue,
      maxWaitMs: APP_DEFAULTS.searchQueueWaitMs,
      onReject: metrics.observeRejection,
    });

  if (deps.stopping) closeWhenStopping(app, deps.stopping);
  // What every request passes through, as one layer of the router (see `runInOrder`).
  app.use(
    runInOrder([
      requestId(),
      accessLog(deps.logger, { logQueries: deps.logQueries ?? false, observe: metrics.observeRequest }),
      securityHeaders(),
      corsHeaders(corsOrigins),
    ]),
  );

  const keys = deps.keys ?? { admin: null, search: null };
  const reader = requireReader(keys);
  const admin = requireAdmin(keys);
  const alertManager = requireAlertManager(keys);
  const algoliaReader = requireReader(keys, { algolia: true });
  const analyticsAdmin = requireAdmin(keys, 'Analytics reports are');
  const analytics = deps.analytics;
  const onAlgoliaSearch = analytics ? (query: string, hits: number) => analytics.recordSearch(query, hits) : undefined;
  const budgetMs = deps.searchBudgetMs ?? APP_DEFAULTS.searchBudgetMs;
  const routes: [string, string, Methods][] = [
    ['/search', '/search', { get: [reader, searchHandler(deps, admission, metrics, budgetMs)] }],
    ['/search/export', '/search/export', { get: [reader, exportHandler(deps, admission)] }],
    ['/articles', '/articles', { post: [admin, bulkArticlesHandler(deps)] }],
    // `*articleId`: ids are corpus paths and may contain `/`.
    [
      '/articles/*articleId',
      '/articles/{articleId}',
      {
        // `…/related` at the end of an id that is no article: its related articles (see `articleRoute`).
        get: [
          reader,
          articleRoute(
            deps,
            articleHandler(deps, admission, deps.maxArticleChars ?? APP_DEFAULTS.maxArticleChars),
            budgetMs,
            admission,
          ),
        ],
        put: [admin, putArticleHandler(deps)],
        delete: [admin, deleteArticleHandler(deps)],
      },
    ],
    [
      '/alerts',
      '/alerts',
      { get: [alertManager, listAlertsHandler(deps)], post: [alertManager, createAlertHandler(deps)] },
    ],
    [
      '/alerts/:id',
      '/alerts/{id}',
      {
        get: [alertManager, getAlertHandler(deps)],
        patch: [alertManager, patchAlertHandler(deps)],
        delete: [alertManager, deleteAlertHandler(deps)],
      },
    ],
    ['/alerts/:id/feed', '/alerts/{id}/feed', { get: [alertFeedHandler(deps, keys)] }],
    ['/suggest', '/suggest', { get: [reader, suggestHandler(deps)] }],
    ['/synonyms', '/synonyms', { get: [admin, getSynonymsHandler(deps)], put: [admin, putSynonymsHandler(deps)] }],
    // The part of Algolia's search protocol InstantSearch sends (see `src/http/algolia/`).
    [
      '/1/indexes/\\*/queries',
      '/1/indexes/*/queries',
      { post: [algoliaReader, algoliaQueriesHandler(deps, admission, metrics, budgetMs, onAlgoliaSearch)] },
    ],
    [
      '/1/indexes/:indexName/query',
      '/1/indexes/{indexName}/query',
      { post: [algoliaReader, algoliaQueryHandler(deps, admission, metrics, budgetMs, onAlgoliaSearch)] },
    ],
    ['/analytics/events', '/analytics/events', { post: [algoliaReader, analyticsEventsHandler(deps.analytics)] }],
    ['/analytics/queries', '/analytics/queries', { get: [analyticsAdmin, analyticsQueriesHandler(deps.analytics)] }],
    ['/analytics/clicks', '/analytics/clicks', { get: [analyticsAdmin, analyticsClicksHandler(deps.analytics)] }],
    ['/health', '/health', { get: [healthHandler(deps)] }],
    ['/health/live', '/health/live', { get: [livenessHandler()] }],
    ['/metrics', '/metrics', { get: [metrics.handler] }],
    [
      '/openapi.json',
      '/openapi.json',
      {
        get: [
          async (_req, res) => {
            res.json(openApiDocument);
          },
        ],
      },
    ],
  ];
  for (const [pattern, name, methods] of routes) {
    const label: express.RequestHandler = (_req, res, next) => {
      res.locals['route'] = name;
      next();
    };
    const verbs = Object.keys(methods).map((m) => m.toUpperCase());
    const allow = verbs
      .flatMap((v) => (v === 'GET' ? ['GET', 'HEAD'] : [v]))
      .concat('OPTIONS')
      .join(', ');
    const route = app.route(pattern).all(label);
    for (const [method, handlers] of Object.entries(methods) as [keyof Methods, express.RequestHandler[]][])
      route[method](...handlers);
    route.options(answerOptions(corsOrigins, allow)).all(methodNotAllowed(name, allow));
  }

  if (deps.publicDir !== undefined && isDirectory(deps.publicDir)) {
    // The pages in folders of their own, at their names without the slash too.
    // (Routes are not strict: a route on `/analytics` would match `/analytics/` too, so the path is compared.)
    app.use((req, res, next) => {
      if (
        (req.method === 'GET' || req.method === 'HEAD') &&
        (req.path === '/instantsearch' || req.path === '/analytics')
      )
        res.redirect(301, `${req.path}/`);
      else next();
    });
    app.use(
      express.static(deps.publicDir, {
        index: 'index.html',
        redirect: false,
        dotfiles: 'ignore',
        setHeaders: (res) => res.setHeader('Content-Security-Policy', UI_CSP),
      }),
    );
  }

  app.use((req) => {
    throw new SearchError('route_not_found', `No route matches \`${quoteValue(req.method)} ${quoteValue(req.path)}\`.`);
  });
  // A request that met a corrupt index file (a section checked when first read) reports it before it is answered.
  app.use((err: unknown, _req: Request, _res: Response, next: (err: unknown) => void) => {
    if (err instanceof SearchError && err.code === 'index_corrupt') deps.onCorrupt?.(err.message);
    next(err);
  });
  // The Algolia routes answer errors in Algolia's shape (`{"message", "status"}`).
  app.use('/1/indexes', algoliaErrorHandler);
  app.use(errorHandler);
  return app;
}
