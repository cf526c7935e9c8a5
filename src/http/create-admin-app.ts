import express from 'express';
import { SearchError } from '../errors.js';
import type { AppDeps } from './app-deps.js';
import { errorHandler } from './error-handler.js';
import { healthHandler, livenessHandler } from './health-handler.js';
import type { ServiceMetrics } from './metrics.js';
import { requestId } from './request-id.js';

/**
 * The admin app, for a listener of its own (`ADMIN_PORT`): `GET /health`,
 * `GET /health/live` and `GET /metrics` only. A busy Node server accepts about
 * one waiting connection per turn of its event loop, so under a flood of
 * searches a probe's new connection waits behind the flood's in the main
 * listener's backlog; on a port of its own it waits behind other probes only.
 * Never listens: the caller does.
 */
export function createAdminApp(deps: Pick<AppDeps, 'getIndex' | 'status' | 'stopping'>, metrics: ServiceMetrics): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', false);
  app.use(requestId());
  app.get('/health', healthHandler(deps));
  app.get('/health/live', livenessHandler());
  app.get('/metrics', metrics.handler);
  app.use(() => {
    throw new SearchError('route_not_found', 'The admin port answers GET /health, /health/live and /metrics only.');
  });
  app.use(errorHandler);
  return app;
}
