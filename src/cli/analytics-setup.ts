import cluster from 'node:cluster';
import { FileAnalytics } from '../analytics/file-analytics.js';
import { SearchAnalytics } from '../analytics/search-analytics.js';
import { PgAnalytics } from '../store/pg-analytics.js';
import { PgStore } from '../store/pg-store.js';
import type { CliSettings } from './parse-args.js';

/** A process's search analytics and how to close them (writing what is pending). */
export interface OpenAnalytics {
  recorder: SearchAnalytics;
  close: () => Promise<void>;
}

/**
 * The search analytics of a serving process, or null with `ANALYTICS=false`: in the article store
 * when there is one (`DATABASE_URL`: every node adds to the same table, so reports are summed over
 * nodes), else in `ANALYTICS_DIR`, one file per process (`analytics-main.json`, or
 * `analytics-worker-<n>.json` for a cluster worker), summed when read.
 */
export function openAnalytics(
  settings: Pick<CliSettings, 'analytics' | 'analyticsDays' | 'analyticsDir' | 'databaseUrl'>,
  onError: (error: unknown) => void,
): OpenAnalytics | null {
  if (!settings.analytics) return null;
  // Its own small pool: the analytics never wait behind the article store's writes.
  const store = settings.databaseUrl === null ? null : new PgStore(settings.databaseUrl);
  const name = cluster.isWorker && cluster.worker ? `worker-${cluster.worker.id}` : 'main';
  const backend = store ? new PgAnalytics(store) : new FileAnalytics(settings.analyticsDir, name);
  const recorder = new SearchAnalytics(backend, { keepDays: settings.analyticsDays, onError });
  return {
    recorder,
    close: async () => {
      await recorder.close();
      await store?.close();
    },
  };
}
