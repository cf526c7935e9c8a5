import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OpenIndexResult } from '../index/open-index.js';
import { verifyInBackground } from '../index/verify-in-background.js';
import type { ServeState } from './serve-state.js';

/**
 * The start checks what every query reads (headers, lengths, article tables);
 * every other byte (dictionaries, postings, stored text) is checked when a query
 * first reads it, and here, in a worker thread, while the service answers. A
 * fault found either way turns `/health` to 503 `corrupt` and rebuilds the index
 * from the corpus (`rebuild`); searches go on from the index open until the new
 * one is ready. A query's find reaches here through `s.onCorrupt`.
 */
export function checkIndexLater(s: ServeState, result: OpenIndexResult, rebuild: () => Promise<unknown>): void {
  const { logger, indexLog } = s;
  const checking = performance.now();
  const fault = (reason: string, details: unknown) => {
    if (s.stopping || s.opened !== result || s.corruption !== null) return;
    s.corruption = reason;
    s.onCorrupt = null;
    logger.error({ component: 'index', faults: details }, `index corrupt (${reason}); rebuilding from the corpus`);
    void (async () => {
      s.watcher?.close();
      s.watcher = null;
      const old = s.live;
      s.live = null;
      await old?.close();
      await rebuild();
      s.corruption = null;
    })().catch((error: unknown) => logger.error({ component: 'index', err: error }, 'the rebuild of the index failed'));
  };
  s.onCorrupt = (reason) => fault(reason, [{ message: reason }]);
  verifyInBackground(s.settings.cacheDir, result.commit!)
    .then((faults) => {
      if (faults.length === 0) {
        if (!s.stopping && s.opened === result)
          indexLog(
            `every byte of the index checked in the background (${Math.round(performance.now() - checking)} ms)`,
          );
        return;
      }
      fault(`${path.basename(faults[0]!.file)}: ${faults[0]!.message}`, faults);
    })
    .catch((error: unknown) =>
      logger.error({ component: 'index', err: error }, 'the background check of the index failed'),
    );
}
