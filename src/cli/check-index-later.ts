import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OpenIndexResult } from '../index/open-index.js';
import { verifyInBackground } from '../index/verify-in-background.js';
import type { ServeState } from './serve-state.js';

/**
 * The start checks what a query needs (headers, dictionaries, tables); every
 * other byte (postings, stored text) is checked here, in a worker thread, while
 * the service answers. A fault turns `/health` to 503 `corrupt` and rebuilds the
 * index from the corpus (`rebuild`); searches go on from the index open until the new one is ready.
 */
export function checkIndexLater(s: ServeState, result: OpenIndexResult, rebuild: () => Promise<unknown>): void {
  const { logger, indexLog } = s;
  const checking = performance.now();
  verifyInBackground(s.settings.cacheDir, result.commit!)
    .then(async (faults) => {
      if (s.stopping || s.opened !== result) return;
      if (faults.length === 0) {
        indexLog(`every byte of the index checked in the background (${Math.round(performance.now() - checking)} ms)`);
        return;
      }
      const fault = faults[0]!;
      s.corruption = `${path.basename(fault.file)}: ${fault.message}`;
      logger.error({ component: 'index', faults }, `index corrupt (${s.corruption}); rebuilding from the corpus`);
      s.watcher?.close();
      s.watcher = null;
      const old = s.live;
      s.live = null;
      await old?.close();
      await rebuild();
      s.corruption = null;
    })
    .catch((error: unknown) =>
      logger.error({ component: 'index', err: error }, 'the background check of the index failed'),
    );
}
