import cluster from 'node:cluster';
import type { Alerts } from '../alerts/alerts-api.js';
import type { ArchiveIndex } from '../index/archive-index.js';
import type { OpenIndexResult } from '../index/open-index.js';
import type { ArchiveWriter } from '../live/archive-writer.js';
import { followPrimary } from '../live/cluster-link.js';
import type { Journal } from '../live/journal.js';
import type { LiveArchive } from '../live/live-archive.js';
import { VersionHistory } from '../live/version-history.js';
import type { Logger } from '../log/create-logger.js';
import { alertsEnabled } from './alerts-enabled.js';
import { openJournal } from './live-setup.js';
import type { CliSettings } from './parse-args.js';
import type { StoreNode } from './store-setup.js';

/** The background work after an index is published: done when searches run at full speed (see `/health`'s `warmedUp`). */
export interface WarmUp {
  postings: boolean;
  duplicateGroups: boolean;
}

/**
 * A serving process's parts, shared by its start, the loads of its index, the
 * background check, `/health` and its stop: the settings it runs with (read
 * only), and the parts a load, a rebuild or the store's opening replace.
 */
export interface ServeState {
  readonly settings: CliSettings;
  readonly logger: Logger;
  /** A cluster worker reads the journal its primary writes; a single process writes it when writes are on. */
  readonly isWorker: boolean;
  /** Whether saved searches are kept (`alertsEnabled`). */
  readonly alertsOn: boolean;
  /** In a cluster worker: the link to the primary, which takes this worker's writes; null elsewhere. */
  readonly follower: ReturnType<typeof followPrimary> | null;
  /** Logs one line of the index's component. */
  readonly indexLog: (line: string) => void;
  /** The reader the open made (the live archive's newest one is `live.index`). */
  index: ArchiveIndex | null;
  opened: OpenIndexResult | null;
  stopping: boolean;
  /** With an article store (DATABASE_URL) the journal is this node's mirror of it, opened once the store answers. */
  journal: Journal | null;
  node: StoreNode | null;
  live: LiveArchive | null;
  watcher: { close: () => void } | null;
  /** The writer the routes use, made at their first write after each load (`serveWriter`). */
  local: ArchiveWriter | null;
  /** A worker's writer, made the same way. */
  followed: ArchiveWriter | null;
  /** Why the index was found corrupt after the start (null: not found so), until its rebuild is ready. */
  corruption: string | null;
  /** Reports a corrupt section a query met (set by the background check of the index open; null: nothing to report to). */
  onCorrupt: ((reason: string) => void) | null;
  alerts: Alerts | null;
  /** The opening of the article store's shared alerts (see `openAlerts`). */
  sharedAlerts: Promise<void> | null;
  /**
   * Earlier versions of articles, beside the journal; written by the process that takes writes. With an
   * article store, the store keeps them and this is the node's copy of its table (opened with the store).
   */
  versions: VersionHistory | null;
  warmUp: WarmUp;
}

/**
 * The state of a process that starts serving: its journal and version history
 * opened (unless an article store will give them), nothing loaded yet.
 */
export function createServeState(settings: CliSettings, logger: Logger): ServeState {
  const isWorker = cluster.isWorker;
  const journal = settings.databaseUrl === null ? openJournal(settings, !isWorker) : null;
  const state: ServeState = {
    settings,
    logger,
    isWorker,
    // Saved searches: one process that applies every change and owns its folder, each node of an article store,
    // or, with workers, the one worker the primary gives them to (the others send it their calls: `alerts-link.ts`).
    alertsOn: alertsEnabled(settings),
    follower: isWorker ? followPrimary(journal!, () => state.live) : null,
    indexLog: (line: string) => logger.info({ component: 'index' }, line),
    index: null,
    opened: null,
    stopping: false,
    journal,
    node: null,
    live: null,
    watcher: null,
    local: null,
    followed: null,
    corruption: null,
    onCorrupt: null,
    alerts: null,
    sharedAlerts: null,
    versions:
      settings.databaseUrl === null
        ? VersionHistory.open(settings.journalDir, {
            write: !isWorker && settings.adminKey !== null,
            maxVersions: settings.maxVersions,
          })
        : null,
    warmUp: { postings: false, duplicateGroups: false },
  };
  return state;
}
