import type { RequestHandler } from 'express';
import type { AppDeps } from './app-deps.js';

/**
 * `GET /health`, never cached: 200 `{status: 'ready', articles, paragraphs, …}`
 * once the index serves, 503 `{status: 'loading', …}` before; `…` being the
 * fields of `deps.status()`. The 503 body is this status object, not an error body:
 * a load balancer or a person reads the same shape in both states.
 */
export function healthHandler(deps: AppDeps): RequestHandler {
  return async (_req, res) => {
    const { status: _s, articles: _a, paragraphs: _p, ...extra } = deps.status?.() ?? {};
    const index = deps.getIndex();
    res.set('Cache-Control', 'no-store');
    if (index === null) {
      res.status(503).json({ status: 'loading', ...extra });
      return;
    }
    res.json({ status: 'ready', articles: index.articleCount, paragraphs: index.paragraphCount, ...extra });
  };
}
