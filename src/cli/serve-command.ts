import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { startProbeThread, type ProbeThread } from '../http/probe-thread.js';
import { configureDuplicateSimilarity } from '../index/duplicate-groups.js';
import { configurePostingsCache } from '../index/postings-cache.js';
import type { OpenIndexResult } from '../index/open-index.js';
import type { Logger } from '../log/create-logger.js';
import { serveWorkerAlerts } from './alerts-setup.js';
import { buildServeApp } from './build-serve-app.js';
import { listenHttp } from './listen-http.js';
import { loadIndex } from './load-index.js';
import { lockOwnFolders } from './lock-own-folders.js';
import type { CliSettings } from './parse-args.js';
import { createServeState } from './serve-state.js';
import { stopServer } from './stop-server.js';
import { prepareStoreNode } from './store-setup.js';

/** A running service. */
export interface RunningServer {
  server: Server;
  /** The URL it listens on. */
  url: string;
  /** The admin listener's URL, when `adminPort` is set. */
  adminUrl: string | null;
  /** Resolves once the index is loaded (or rejects if the corpus cannot be read). */
  ready: Promise<OpenIndexResult>;
  /**
   * Drains and stops: `/health` says `stopping`, requests already sent are read
   * and answered, then the listener and idle connections close; resolves when
   * the last connection is gone (after `shutdownTimeoutS`, those left are cut).
   */
  close: () => Promise<void>;
}

/**
 * Starts the HTTP service: listens at once (so `/health` answers 503 while the
 * index loads), then loads or builds the index and starts answering searches.
 * The one door of a serving process; its parts: `serve-state.ts` (what changes
 * while it runs), `build-serve-app.ts` (the app and its dependencies),
 * `listen-http.ts`, `load-index.ts` (the index made live, warmed up and checked
 * in the background), `alerts-setup.ts`, `stop-server.ts` (the shutdown).
 */
export async function startServer(settings: CliSettings, logger: Logger): Promise<RunningServer> {
  // A cluster's worker works under its primary's lock; any other process takes it before touching a file.
  const lock = cluster.isWorker ? null : lockOwnFolders(settings, 'npm start');
  const s = createServeState(settings, logger);
  configureDuplicateSimilarity(settings.duplicateSimilarity);
  configurePostingsCache(settings.postingsCacheMb * 1024 * 1024);
  const alertLink = serveWorkerAlerts(s);
  const { app, analytics } = buildServeApp(s);
  const { server, url, host } = await listenHttp(app, settings);
  const probes: ProbeThread | null =
    settings.adminPort === null ? null : await startProbeThread(settings.adminPort, settings.host);
  const adminUrl = probes ? `http://${host}:${probes.port}` : null;
  logger.info({ url, adminUrl, corpus: settings.corpusDir }, `listening on ${url} (loading the index…)`);

  const serving = { url, probes, alertLink };
  const ready = (async () => {
    if (settings.databaseUrl !== null) {
      s.node = await prepareStoreNode(settings, s.indexLog);
      s.journal = s.node.journal;
      s.versions = s.node.versions;
    }
    const node = s.node;
    return loadIndex(s, serving, false, async (first) => {
      if (s.follower) await s.follower.start();
      // The archive of the moment (a rebuild replaces it; while it runs, the one being replaced reports).
      else if (node)
        node.mirror.follow(async () => (s.live ? (await s.live.syncJournal(), s.live.appliedSeq) : first.appliedSeq));
    });
  })();
  const close = () => stopServer(s, server, { probes, analytics, lock });
  return { server, url, adminUrl, ready, close };
}
