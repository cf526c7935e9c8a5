import { existsSync, statSync } from 'node:fs';
import express, { type Request, type Response } from 'express';
import { SearchError } from '../errors.js';
import { accessLog } from './access-log.js';
import { Admission } from './admission.js';
import { APP_DEFAULTS, type AppDeps } from './app-deps.js';
import { articleHandler } from './article-handler.js';
import { answerOptions, CORS_METHODS, corsHeaders } from './cors-headers.js';
import { errorHandler } from './error-handler.js';
import { exportHandler } from './export-handler.js';
import { healthHandler, livenessHandler } from './health-handler.js';
import { closeWhenStopping } from './close-when-stopping.js';
import { createMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { quoteValue } from './quote-value.js';
import { articleRoute } from './related-handler.js';
import { requestId } from './request-id.js';
import { searchHandler } from './search-handler.js';
import { securityHeaders, UI_CSP } from './security-headers.js';
import { suggestHandler } from './suggest-handler.js';

export type { AppDeps } from './app-deps.js';

function methodNotAllowed(path: string) {
  return (req: Request, res: Response): never => {
    res.set('Allow', CORS_METHODS);
    throw new SearchError('method_not_allowed', `\`${quoteValue(req.method)}\` is not allowed on \`${path}\`; use \`GET\`.`);
  };
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/**
 * The HTTP API as an Express app (see the API contract and `GET /openapi.json`):
 * `GET /search`, `GET /search/export`, `GET /articles/{articleId}` (and its `/related`), `GET /suggest`, `GET /health`,
 * `GET /health/live`, `GET /metrics`, `GET /openapi.json`, and the static UI at
 * `/` when `deps.publicDir` exists. Every error, 404 and 405 included, is a
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
    new Admission({ maxQueue: APP_DEFAULTS.searchQueue, maxWaitMs: APP_DEFAULTS.searchQueueWaitMs, onReject: metrics.observeRejection });

  app.use(requestId());
  app.use(accessLog(deps.logger, { logQueries: deps.logQueries ?? false, observe: metrics.observeRequest }));
  if (deps.stopping) app.use(closeWhenStopping(deps.stopping));
  app.use(securityHeaders());
  app.use(corsHeaders(corsOrigins));

  const routes: [string, string, express.RequestHandler][] = [
    ['/search', '/search', searchHandler(deps, admission, metrics, deps.searchBudgetMs ?? APP_DEFAULTS.searchBudgetMs)],
    ['/search/export', '/search/export', exportHandler(deps, admission)],
    // `*articleId`: ids are corpus paths and may contain `/`.
    [
      '/articles/*articleId',
      '/articles/{articleId}',
      articleRoute(deps, articleHandler(deps, admission, deps.maxArticleChars ?? APP_DEFAULTS.maxArticleChars), deps.searchBudgetMs ?? APP_DEFAULTS.searchBudgetMs, admission),
    ],
    ['/suggest', '/suggest', suggestHandler(deps)],
    ['/health', '/health', healthHandler(deps)],
    ['/health/live', '/health/live', livenessHandler()],
    ['/metrics', '/metrics', metrics.handler],
    [
      '/openapi.json',
      '/openapi.json',
      async (_req, res) => {
        res.json(openApiDocument);
      },
    ],
  ];
  for (const [pattern, name, handler] of routes) {
    const label: express.RequestHandler = (_req, res, next) => {
      res.locals['route'] = name;
      next();
    };
    app.route(pattern).all(label).get(handler).options(answerOptions(corsOrigins)).all(methodNotAllowed(name));
  }

  if (deps.publicDir !== undefined && isDirectory(deps.publicDir)) {
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
  app.use(errorHandler);
  return app;
}
