import type { ArchiveIndex } from '../index/archive-index.js';
import type { Logger } from '../log/create-logger.js';
import type { Deadline } from '../query/execute/deadline.js';
import type { SearchParams } from '../query/search-params.js';
import { searchArchive, type SearchResponse } from '../query/search-archive.js';
import type { ArchiveWriter } from '../live/archive-writer.js';
import type { LiveArchive } from '../live/live-archive.js';
import type { Alerts } from '../alerts/alerts-api.js';
import type { SynonymStore } from '../live/synonym-store.js';
import type { VersionHistory } from '../live/version-history.js';
import type { Admission } from './admission.js';
import type { ApiKeys } from './api-keys.js';
import type { ServiceMetrics } from './metrics.js';
import type { SearchAnalytics } from '../analytics/search-analytics.js';

/** What `createApp` needs from the rest of the service. */
export interface AppDeps {
  /** The index to serve, or null while it is still loading (routes then answer 503 `index_loading`). */
  getIndex: () => ArchiveIndex | null;
  /** Folder of the static UI, served at `/` (`index.html`) when given and present. */
  publicDir?: string;
  /** Origins allowed to call the API from a browser (exact `scheme://host[:port]`, or `'*'`); default none. */
  corsOrigins?: string[];
  /** The search function; default `searchArchive`. A worker pool or a cache can plug in here. `deadline` is its time budget. */
  search?: (index: ArchiveIndex, params: SearchParams, deadline?: Deadline) => SearchResponse | Promise<SearchResponse>;
  /** Extra fields for `GET /health` (snapshot state, uptime, …); cannot replace `status`, `articles`, `paragraphs`. */
  status?: () => Record<string, unknown>;
  /** Where access lines and errors go; default a logger that writes nothing. */
  logger?: Logger;
  /** Record query strings in the access log; default false (search terms can be sensitive). */
  logQueries?: boolean;
  /** The metrics `GET /metrics` exposes; default a fresh set over `getIndex`. */
  metrics?: ServiceMetrics;
  /** Admission control of searches and highlighted articles; default a queue of 64 waiting at most 5 s. */
  admission?: Admission;
  /** Time budget of one search, in milliseconds; default 100. */
  searchBudgetMs?: number;
  /** Largest article `GET /articles/{id}` returns whole, in characters of paragraph text; default 2,000,000. */
  maxArticleChars?: number;
  /** Limits of `GET /search/export` (exports at once, rows and milliseconds per slice); default `EXPORT_LIMITS`. */
  exportLimits?: { concurrent?: number; rowsPerSlice?: number; sliceMs?: number };
  /** True once the service is shutting down: `/health` then answers 503 `stopping` and responses close their connection. */
  stopping?: () => boolean;
  /**
   * Why this node should get no traffic although its index serves (a node too
   * far behind its article store), or null: `/health` then answers 503 `lagging`
   * with the reason. Default: always ready.
   */
  notReady?: () => string | null;
  /**
   * Why the index serving now was found corrupt after the start (the background
   * check of its bytes), or null: `/health` then answers 503 `corrupt` with the
   * reason while the index is rebuilt. Default: never.
   */
  corrupt?: () => string | null;
  /** Told when a request fails on a corrupt index file (an `index_corrupt` error), with the error's message: the service turns `corrupt` and rebuilds. */
  onCorrupt?: (reason: string) => void;
  /**
   * The living archive: the index kept current (null while it loads) and the
   * writer of the write routes. Without it the write routes answer 403 `writes_disabled`.
   */
  live?: { archive: () => LiveArchive | null; writer: () => ArchiveWriter };
  /**
   * The synonym set (`GET`/`PUT /synonyms`, admin key) and the table the default search applies; without it the
   * routes answer 403 `writes_disabled` and searches use none. A `search` given here applies it itself.
   */
  synonyms?: SynonymStore;
  /** Saved searches and alerts (null while the index loads: 503); without it the alert routes answer 403 `alerts_disabled`. */
  alerts?: () => Alerts | null;
  /** Earlier versions of articles (`GET /articles/{id}/versions`), or null while loading; default none: every article has one version. */
  versions?: () => VersionHistory | null;
  /**
   * Search analytics (`ANALYTICS`, on by default): searches of `/search` and of the Algolia routes
   * are counted, `POST /analytics/events` takes clicks, the admin reads `/analytics/*`. Absent: the
   * analytics routes answer 404 `analytics_disabled` and nothing is counted.
   */
  analytics?: SearchAnalytics;
  /** The admin key (write routes, previews of unpublished articles) and the search key (read routes); default none. */
  keys?: ApiKeys;
}

/** Defaults of the optional limits of {@link AppDeps}. */
export const APP_DEFAULTS = {
  searchQueue: 64,
  searchQueueWaitMs: 5000,
  searchBudgetMs: 100,
  maxArticleChars: 2_000_000,
} as const;

/** The search the routes run: `deps.search`, else `searchArchive` with the synonyms in force (the same for `/search` and the Algolia routes). */
export function searchOf(deps: AppDeps): NonNullable<AppDeps['search']> {
  return (
    deps.search ??
    ((index, params, deadline) => searchArchive(index, params, undefined, deadline, deps.synonyms?.table()))
  );
}
