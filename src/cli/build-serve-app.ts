import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import { Admission } from '../http/admission.js';
import { createApp } from '../http/create-app.js';
import { createMetrics } from '../http/metrics.js';
import { SynonymStore } from '../live/synonym-store.js';
import { strayErrorCount } from '../log/stray-errors.js';
import { cachedSearch } from '../query/cached-search.js';
import { searchArchive } from '../query/search-archive.js';
import { lagProblem } from '../store/store-mirror.js';
import { type OpenAnalytics, openAnalytics } from './analytics-setup.js';
import { healthStatus, storeLag } from './health-status.js';
import type { ServeState } from './serve-state.js';
import { serveWriter } from './serve-writer.js';

/** The UI's static files, shipped in the repository. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/**
 * The app of a serving process and what it depends on: the synonyms, the
 * cached search, the metrics, the search queue, `/health`'s status, the
 * analytics (closed at the stop), the writer; each route reads the state at
 * its request (the index, the live archive, the alerts of the moment).
 */
export function buildServeApp(s: ServeState): { app: Express; analytics: OpenAnalytics | null } {
  const { settings, logger } = s;
  // Synonyms put through the API are kept in the journal folder where writes are on; SYNONYMS_FILE otherwise (`synonym-store.ts`).
  const synonyms = SynonymStore.open(settings.adminKey !== null ? settings.journalDir : null, settings.synonymsFile);
  const search = cachedSearch(
    (i, params, deadline) => searchArchive(i, params, undefined, deadline, synonyms.table()),
    settings.queryCache,
    settings.queryCacheMb * 1024 * 1024,
    () => synonyms.version(),
  );
  // The live archive's reader once it runs (a new one at every change), else the one the open made.
  const getIndex = () => s.live?.index ?? s.index;
  const metrics = createMetrics({
    getIndex,
    cacheStats: search.stats,
    writes: () => (s.live ? { appliedSeq: s.live.appliedSeq, unpublished: s.live.heldCount } : null),
    ...(settings.databaseUrl ? { storeLag: () => storeLag(s) } : {}),
    alerts: () => s.alerts?.stats() ?? null,
    strayErrors: strayErrorCount,
  });
  const admission = new Admission({
    maxQueue: settings.searchQueue,
    maxWaitMs: settings.searchQueueWaitMs,
    onReject: metrics.observeRejection,
  });
  const analytics = openAnalytics(settings, (error) =>
    logger.warn({ component: 'analytics', err: error }, 'could not write the search analytics; kept, retried later'),
  );
  const app = createApp({
    getIndex,
    publicDir: PUBLIC_DIR,
    ...(analytics ? { analytics: analytics.recorder } : {}),
    corsOrigins: settings.corsOrigins,
    search,
    logger,
    logQueries: settings.logQueries,
    metrics,
    admission,
    searchBudgetMs: settings.searchBudgetMs,
    maxArticleChars: settings.articleMaxChars,
    stopping: () => s.stopping,
    notReady: () => lagProblem(storeLag(s), settings.maxLagS),
    corrupt: () => s.corruption,
    onCorrupt: (reason) => s.onCorrupt?.(reason),
    status: healthStatus(s, { cacheStats: search.stats, admission, synonyms }),
    live: { archive: () => s.live, writer: serveWriter(s) },
    synonyms,
    ...(s.alertsOn ? { alerts: () => s.alerts } : {}),
    versions: () => s.versions,
    keys: { admin: settings.adminKey, search: settings.searchKey },
  });
  return { app, analytics };
}
