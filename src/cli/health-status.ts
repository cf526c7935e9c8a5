import type { Admission } from '../http/admission.js';
import type { CacheStats } from '../query/cached-search.js';
import type { SynonymStore } from '../live/synonym-store.js';
import type { StoreLag } from '../store/store-mirror.js';
import type { ServeState } from './serve-state.js';

/** How far this node's mirror is behind the article store, or null without a store or before the archive is live. */
export function storeLag(s: ServeState): StoreLag | null {
  return s.node && s.live ? s.node.mirror.lag(s.live.appliedSeq) : null;
}

/** The store's part of `/health`: `state` says at a glance whether PostgreSQL answers now. */
function storeState(lag: StoreLag | null) {
  const known = lag ?? { applied: 0, store: 0, lagSeconds: null, connected: false };
  return { state: known.connected ? 'connected' : 'disconnected', ...known };
}

/**
 * The process's part of `/health`, read at each request: the index as opened,
 * the warm-ups, alerts, writes, the article store, the query cache (its size in
 * entries and bytes), the search queue, the synonyms and the process id.
 */
export function healthStatus(
  s: ServeState,
  parts: { cacheStats: () => CacheStats; admission: Admission; synonyms: SynonymStore },
): () => Record<string, unknown> {
  const { settings } = s;
  const { admission, synonyms } = parts;
  return () => ({
    ...(s.opened ? { index: s.opened.state, snapshotSaved: s.opened.saved, problems: s.opened.problems.length } : {}),
    warmedUp: { ...s.warmUp },
    alerts: s.alertsOn ? { enabled: true, count: s.alerts?.count ?? 0 } : { enabled: false },
    writes: {
      enabled: settings.adminKey !== null,
      journalSeq: s.live?.appliedSeq ?? 0,
      unpublished: s.live?.heldCount ?? 0,
      watch: settings.watch && !s.node,
    },
    ...(settings.databaseUrl ? { store: storeState(storeLag(s)) } : {}),
    queryCache: { size: settings.queryCache, maxBytes: settings.queryCacheMb * 1024 * 1024, ...parts.cacheStats() },
    searches: { running: admission.running, queued: admission.queued },
    synonyms: { source: synonyms.source, rules: synonyms.set.groups.length + synonyms.set.oneWay.length },
    pid: process.pid,
  });
}
