import type { RequestHandler } from 'express';
import type { AppDeps } from './app-deps.js';

/**
 * `GET /health` (readiness), never cached: 200 `{status: 'ready', articles, paragraphs, …}`
 * once the index serves, 503 `{status: 'loading', …}` before, 503
 * `{status: 'corrupt', reason, …}` while an index found corrupt after the start is
 * rebuilt, 503 `{status: 'lagging', reason, …}` behind the article store, and 503
 * `{status: 'stopping', …}` once shutdown began; `…` being the
 * fields of `deps.status()`. The 503 body is this status object, not an error body:
 * a load balancer or a person reads the same shape in both states.
 */
export function healthHandler(deps: AppDeps): RequestHandler {
  return async (_req, res) => {
    const { status: _s, articles: _a, paragraphs: _p, ...extra } = deps.status?.() ?? {};
    const index = deps.getIndex();
    res.set('Cache-Control', 'no-store');
    if (deps.stopping?.()) {
      res.set('Retry-After', '5');
      res.status(503).json({ status: 'stopping', ...extra });
      return;
    }
    if (index === null) {
      res.status(503).json({ status: 'loading', ...extra });
      return;
    }
    const corrupt = deps.corrupt?.() ?? null;
    if (corrupt !== null) {
      res.status(503).json({
        status: 'corrupt',
        reason: corrupt,
        articles: index.articleCount,
        paragraphs: index.paragraphCount,
        ...extra,
      });
      return;
    }
    const lagging = deps.notReady?.() ?? null;
    if (lagging !== null) {
      res.status(503).json({
        status: 'lagging',
        reason: lagging,
        articles: index.articleCount,
        paragraphs: index.paragraphCount,
        ...extra,
      });
      return;
    }
    res.json({ status: 'ready', articles: index.articleCount, paragraphs: index.paragraphCount, ...extra });
  };
}

/** `GET /health/live` (liveness): 200 `{status: 'alive'}` while the process answers at all, loading or not. */
export function livenessHandler(): RequestHandler {
  return async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ status: 'alive' });
  };
}
