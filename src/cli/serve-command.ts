import cluster from 'node:cluster';
import http, { type Server } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { ErrorCode } from '../error-codes.js';
import { markTimedOut } from '../http/access-log.js';
import { Admission } from '../http/admission.js';
import { createApp } from '../http/create-app.js';
import { createMetrics } from '../http/metrics.js';
import { startProbeThread, type ProbeThread } from '../http/probe-thread.js';
import type { ArchiveIndex } from '../index/archive-index.js';
import { openIndex, type OpenIndexResult } from '../index/open-index.js';
import { verifyInBackground } from '../index/verify-in-background.js';
import { warmPostings } from '../index/warm-postings.js';
import type { Logger } from '../log/create-logger.js';
import { strayErrorCount } from '../log/stray-errors.js';
import { cachedSearch } from '../query/cached-search.js';
import { SynonymStore } from '../live/synonym-store.js';
import { searchArchive } from '../query/search-archive.js';
import type { ArchiveWriter } from '../live/archive-writer.js';
import { localWriter } from '../live/archive-writer.js';
import { keepCorpusVersions } from '../live/corpus-versions.js';
import { VersionHistory } from '../live/version-history.js';
import { versionedWriter } from '../live/versioned-writer.js';
import { configureDuplicateSimilarity, duplicateGroupsOf } from '../index/duplicate-groups.js';
import { followPrimary, forwardCorpusVersions } from '../live/cluster-link.js';
import { watchCorpus } from '../live/corpus-watch.js';
import { LiveArchive } from '../live/live-archive.js';
import type { CliSettings } from './parse-args.js';
import { describeChange, openJournal, workerCache } from './live-setup.js';
import { prepareStoreNode, type StoreNode } from './store-setup.js';
import { storeWriter } from '../store/store-writer.js';
import { lagProblem, type StoreLag } from '../store/store-mirror.js';
import type { Journal } from '../live/journal.js';
import { describe, indexProgress, sentence } from './index-report.js';
import { AlertService } from '../alerts/alert-service.js';
import { withAlerts } from '../alerts/with-alerts.js';
import type { Alerts } from '../alerts/alerts-api.js';
import { SharedAlertService } from '../alerts/shared-alert-service.js';
import { RemoteAlerts, serveAlertCalls } from '../alerts/alerts-link.js';
import { openIndexSettings } from './open-index-settings.js';
import { openAnalytics } from './analytics-setup.js';
import { lockFolders, type OwnerLock } from './owner-lock.js';

/** The UI's static files, shipped in the repository. */
export const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

/**
 * Server timeouts against slow or idle clients, in milliseconds, checked every
 * second: all of a request's headers within 10 s, the whole request within 30 s,
 * and an idle keep-alive connection closed after 5 s.
 */
export const SERVER_TIMEOUTS = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  checkEveryMs: 1_000,
} as const;

/**
 * After a stop signal the server keeps accepting until no connection has come
 * for `quietMs` (at most `maxMs`): Node accepts about one waiting connection a
 * turn of a busy event loop, and closing the listener resets those still in the
 * kernel's backlog, whose requests were already sent.
 */
const SETTLE = { quietMs: 150, maxMs: 2_000 } as const;

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

/** The store's part of `/health`: `state` says at a glance whether PostgreSQL answers now. */
function storeState(lag: StoreLag | null) {
  const known = lag ?? { applied: 0, store: 0, lagSeconds: null, connected: false };
  return { state: known.connected ? 'connected' : 'disconnected', ...known };
}

/**
 * Starts the HTTP service: listens at once (so `/health` answers 503 while the
 * index loads), then loads or builds the index and starts answering searches.
 */
export async function startServer(settings: CliSettings, logger: Logger): Promise<RunningServer> {
  // A cluster's worker works under its primary's lock; any other process takes it before touching a file.
  const lock = cluster.isWorker ? null : lockOwnFolders(settings, 'npm start');
  let index: ArchiveIndex | null = null;
  let opened: OpenIndexResult | null = null;
  let stopping = false;
  // A cluster worker reads the journal its primary writes; a single process writes it when writes are on.
  const isWorker = cluster.isWorker;
  // With an article store (DATABASE_URL) the journal is this node's mirror of it, opened once the store answers.
  let journal: Journal | null = settings.databaseUrl === null ? openJournal(settings, !isWorker) : null;
  let node: StoreNode | null = null;
  let live: LiveArchive | null = null;
  let watcher: { close: () => void } | null = null;
  const follower = isWorker ? followPrimary(journal!, () => live) : null;
  let local: ArchiveWriter | null = null;
  /** Why the index was found corrupt after the start (null: not found so), until its rebuild is ready. */
  let corruption: string | null = null;
  // Saved searches: one process that applies every change and owns its folder, each node of an article store,
  // or, with workers, the one worker the primary gives them to (the others send it their calls: `alerts-link.ts`).
  const alertsOn = alertsEnabled(settings);
  let alerts: Alerts | null = null;
  /** The opening of the article store's shared alerts (see `load`). */
  let sharedAlerts: Promise<void> | null = null;
  configureDuplicateSimilarity(settings.duplicateSimilarity);
  // Earlier versions of articles, beside the journal; written by the process that takes writes. With an
  // article store, the store keeps them and this is the node's copy of its table (opened with the store).
  let versions: VersionHistory | null =
    settings.databaseUrl === null
      ? VersionHistory.open(settings.journalDir, {
          write: !isWorker && settings.adminKey !== null,
          maxVersions: settings.maxVersions,
        })
      : null;
  const currentArticles = {
    article: (id: string) => live?.index.getArticle(id) ?? live?.heldArticle(id) ?? null,
    since: (id: string) =>
      versions?.correctedAt(id) ?? (journal?.opOf(id) === 'put' ? (journal.latest(id)?.at ?? null) : null),
  };
  // The routes ask for the writer only once the archive is live (before, they answer 503).
  let followed: ArchiveWriter | null = null;
  const writer = (): ArchiveWriter =>
    follower
      ? (followed ??= withAlerts(follower, () => alerts))
      : (local ??= withAlerts(
          node
            ? storeWriter(node.store, node.mirror, live!)
            : versionedWriter(localWriter(journal!, live!), versions!, currentArticles),
          () => alerts,
        ));
  // A worker owns the alerts once the primary gives them to it: opened as one process opens them, then caught up.
  const alertLink =
    isWorker && alertsOn
      ? serveAlertCalls({
          open: async (firstSeq) => {
            const owned = await AlertService.open({
              dir: path.join(settings.journalDir, 'alerts'),
              maxAlerts: settings.maxAlerts,
              allow: settings.alertWebhookAllow,
              retry: { maxDelayMs: settings.alertRetryMaxS * 1000 },
              retentionMs: settings.alertRetentionDays * 24 * 3600_000,
              frequency: (term) => live!.index.documentFrequency('paragraphs', term),
              log: (line) => logger.info({ component: 'alerts' }, line),
            });
            // The journal applied up to now, the changes since the last matched one are matched, and from
            // this turn on this worker's archive reports its changes to them (nothing can come between).
            await follower!.settled();
            owned.catchUp(journal!, (id) => live?.index.getArticle(id) ?? null, firstSeq);
            const remote = alerts;
            alerts = owned;
            await remote?.close();
            return owned;
          },
          settle: () => follower!.settled(),
          log: (line, error) => logger.error({ component: 'alerts', err: error }, line),
        })
      : null;
  const storeLag = () => (node && live ? node.mirror.lag(live.appliedSeq) : null);
  // Synonyms put through the API are kept in the journal folder where writes are on; SYNONYMS_FILE otherwise (`synonym-store.ts`).
  const synonyms = SynonymStore.open(settings.adminKey !== null ? settings.journalDir : null, settings.synonymsFile);
  const search = cachedSearch(
    (i, params, deadline) => searchArchive(i, params, undefined, deadline, synonyms.table()),
    settings.queryCache,
    settings.queryCacheMb * 1024 * 1024,
    () => synonyms.version(),
  );
  // The live archive's reader once it runs (a new one at every change), else the one the open made.
  const getIndex = () => live?.index ?? index;
  const metrics = createMetrics({
    getIndex,
    cacheStats: search.stats,
    writes: () => (live ? { appliedSeq: live.appliedSeq, unpublished: live.heldCount } : null),
    ...(settings.databaseUrl ? { storeLag } : {}),
    alerts: () => alerts?.stats() ?? null,
    strayErrors: strayErrorCount,
  });
  const admission = new Admission({
    maxQueue: settings.searchQueue,
    maxWaitMs: settings.searchQueueWaitMs,
    onReject: metrics.observeRejection,
  });
  /** The background work after an index is published: done when searches run at full speed (see `/health`'s `warmedUp`). */
  let warmUp = { postings: false, duplicateGroups: false };
  const status = () => ({
    ...(opened ? { index: opened.state, snapshotSaved: opened.saved, problems: opened.problems.length } : {}),
    warmedUp: { ...warmUp },
    alerts: alertsOn ? { enabled: true, count: alerts?.count ?? 0 } : { enabled: false },
    writes: {
      enabled: settings.adminKey !== null,
      journalSeq: live?.appliedSeq ?? 0,
      unpublished: live?.heldCount ?? 0,
      watch: settings.watch && !node,
    },
    ...(settings.databaseUrl ? { store: storeState(storeLag()) } : {}),
    queryCache: { size: settings.queryCache, maxBytes: settings.queryCacheMb * 1024 * 1024, ...search.stats() },
    searches: { running: admission.running, queued: admission.queued },
    synonyms: { source: synonyms.source, rules: synonyms.set.groups.length + synonyms.set.oneWay.length },
    pid: process.pid,
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
    stopping: () => stopping,
    notReady: () => lagProblem(storeLag(), settings.maxLagS),
    corrupt: () => corruption,
    status,
    live: { archive: () => live, writer },
    synonyms,
    ...(alertsOn ? { alerts: () => alerts } : {}),
    versions: () => versions,
    keys: { admin: settings.adminKey, search: settings.searchKey },
  });
  const server = http.createServer(
    {
      headersTimeout: SERVER_TIMEOUTS.headersMs,
      requestTimeout: SERVER_TIMEOUTS.requestMs,
      connectionsCheckingInterval: SERVER_TIMEOUTS.checkEveryMs,
    },
    app,
  );
  server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  // Requests Node rejects before Express sees them (a header over 16 KB, a malformed
  // request line) still get a JSON error body in the contract's shape.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') markTimedOut(socket);
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const status = tooLarge
      ? '431 Request Header Fields Too Large'
      : timedOut
        ? '408 Request Timeout'
        : '400 Bad Request';
    const code: ErrorCode = tooLarge ? 'request_too_large' : timedOut ? 'request_timeout' : 'malformed_request';
    const body = JSON.stringify({
      message: tooLarge
        ? 'The request line or headers are too large (16 KB at most).'
        : timedOut
          ? 'The request took too long to arrive.'
          : 'The request is malformed.',
      code,
      type: 'invalid_request',
    });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : settings.port}`;
  const probes: ProbeThread | null =
    settings.adminPort === null ? null : await startProbeThread(settings.adminPort, settings.host);
  const adminUrl = probes ? `http://${host}:${probes.port}` : null;
  logger.info({ url, adminUrl, corpus: settings.corpusDir }, `listening on ${url} (loading the index…)`);

  const indexLog = (line: string) => logger.info({ component: 'index' }, line);
  /** Opens (or, with `rebuild`, rebuilds) the index and makes it live: the archive of writes, the corpus watch, the cache warm. */
  const load = async (
    rebuild: boolean,
    beforeServing?: (current: LiveArchive) => Promise<void>,
  ): Promise<OpenIndexResult> => {
    const corpusDir = node?.corpusDir ?? settings.corpusDir;
    const result = await openIndex({
      ...openIndexSettings(settings),
      ...(rebuild ? { rebuild: true } : {}),
      corpusDir,
      log: indexLog,
      onProgress: indexProgress(logger),
      overrides: journal!,
      readOnly: isWorker,
      // A corpus file changed while the service was stopped: the commit's article is the earlier version.
      ...(versions?.writable && !node
        ? { onCorpusReplaced: (before, now) => keepCorpusVersions(versions!, before, now) }
        : {}),
    });
    if (alertsOn && node && !alerts && !sharedAlerts) {
      // Shared by the store's nodes: opened once (a rebuild of this node's index keeps them),
      // tried again every 2 s while the store cannot be reached (the other nodes match meanwhile).
      const store = node.store;
      const open = (): Promise<void> =>
        SharedAlertService.open({
          databaseUrl: store.url,
          seqOf: (id) => journal?.seqOf(id),
          maxAlerts: settings.maxAlerts,
          allow: settings.alertWebhookAllow,
          retry: { maxDelayMs: settings.alertRetryMaxS * 1000 },
          retentionMs: settings.alertRetentionDays * 24 * 3600_000,
          frequency: (term) => (live?.index ?? result.index).documentFrequency('paragraphs', term),
          log: (line) => logger.info({ component: 'alerts' }, line),
        }).then(
          async (opened) => {
            if (stopping) return void opened.close();
            alerts = opened;
            await opened
              .catchUp(journal!, (id) => (live?.index ?? result.index).getArticle(id) ?? null)
              .catch((error: unknown) =>
                logger.warn(
                  { component: 'alerts', err: error },
                  'could not match the changes made while the nodes were down',
                ),
              );
          },
          async (error: unknown) => {
            logger.warn(
              { component: 'alerts', err: error },
              'the alerts of the article store cannot be opened yet; trying again in 2 s',
            );
            await new Promise((resolve) => setTimeout(resolve, 2_000));
            if (!stopping) return open();
          },
        );
      sharedAlerts = open();
      await Promise.race([sharedAlerts, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    } else if (alertsOn && !isWorker) {
      const single = await AlertService.open({
        dir: path.join(settings.journalDir, 'alerts'),
        maxAlerts: settings.maxAlerts,
        allow: settings.alertWebhookAllow,
        retry: { maxDelayMs: settings.alertRetryMaxS * 1000 },
        retentionMs: settings.alertRetentionDays * 24 * 3600_000,
        frequency: (term) => result.index.documentFrequency('paragraphs', term),
        log: (line) => logger.info({ component: 'alerts' }, line),
      });
      single.catchUp(journal!, (id) => result.index.getArticle(id) ?? null);
      alerts = single;
    }
    const opening = alerts;
    live = new LiveArchive({
      writer: result.writer,
      held: result.held,
      overrides: journal!,
      corpusDir,
      corpusLimits: openIndexSettings(settings).corpusLimits,
      files: result.files,
      problems: result.problems,
      segmentCache: isWorker ? workerCache(settings.cacheDir, indexLog) : result.cache,
      commits: !isWorker && result.cache !== null,
      log: indexLog,
      ...(alertsOn ? { onChange: (change) => (node || isWorker ? alerts : opening)?.articlesChanged(change) } : {}),
      // With a store its corpus folder is empty: every version comes from the store.
      ...(versions && !node && (!isWorker || settings.adminKey !== null)
        ? { versions: isWorker ? forwardCorpusVersions(versions) : versions }
        : {}),
    });
    local = null;
    followed = null;
    const current = live;
    await beforeServing?.(current);
    // A worker's archive is live: until the primary gives it the alerts, its routes send their calls to their owner.
    if (alertLink && !alerts) {
      alerts = new RemoteAlerts();
      alertLink.ready();
    }
    if (settings.watch && !follower && !node) {
      watcher = watchCorpus({
        corpusDir: settings.corpusDir,
        limits: openIndexSettings(settings).corpusLimits,
        files: result.files,
        onChange: async (change) => {
          const applied = await current.applyFiles(change.touched, change);
          indexLog(
            `corpus changed: ${describeChange(change.touched)} re-read${applied.problems.length ? `, ${applied.problems.length} problem(s)` : ''}`,
          );
        },
        log: indexLog,
      });
    }
    const previous = index;
    index = result.index;
    opened = result;
    if (previous && previous !== index) previous.close();
    probes?.setReady(result.index.articleCount, result.index.paragraphCount);
    logger.info(
      { component: 'index', ...describe(result) },
      `ready: ${sentence(result)}; try ${url}/search?q=displaced`,
    );
    // Decode the most frequent terms' postings between requests, so early queries do not pay for them.
    const warming = performance.now();
    // The near-duplicate groups are built once, here rather than in the first grouped search (a few seconds at
    // 20,000 articles), a batch at a time between requests; later readers update them with what changed.
    warmUp = { postings: false, duplicateGroups: false };
    const thisWarmUp = warmUp;
    void duplicateGroupsOf(result.index)
      .warm(result.index)
      .finally(() => (thisWarmUp.duplicateGroups = true));
    warmPostings(result.index)
      .then((postings) =>
        logger.info(
          { component: 'index', postings, ms: Math.round(performance.now() - warming) },
          `postings of the most frequent terms decoded (${postings.toLocaleString('en')})`,
        ),
      )
      .catch((error: unknown) => logger.warn({ component: 'index', err: error }, 'could not warm the postings cache'))
      .finally(() => (thisWarmUp.postings = true));
    if (result.state !== 'rebuilt' && !settings.verify && result.commit) checkLater(result);
    return result;
  };
  /**
   * The start checks what a query needs (headers, dictionaries, tables); every
   * other byte (postings, stored text) is checked here, in a worker thread, while
   * the service answers. A fault turns `/health` to 503 `corrupt` and rebuilds the
   * index from the corpus; searches go on from the index open until the new one is ready.
   */
  const checkLater = (result: OpenIndexResult): void => {
    const checking = performance.now();
    verifyInBackground(settings.cacheDir, result.commit!)
      .then(async (faults) => {
        if (stopping || opened !== result) return;
        if (faults.length === 0) {
          indexLog(
            `every byte of the index checked in the background (${Math.round(performance.now() - checking)} ms)`,
          );
          return;
        }
        const fault = faults[0]!;
        corruption = `${path.basename(fault.file)}: ${fault.message}`;
        logger.error({ component: 'index', faults }, `index corrupt (${corruption}); rebuilding from the corpus`);
        watcher?.close();
        watcher = null;
        const old = live;
        live = null;
        await old?.close();
        await load(true);
        corruption = null;
      })
      .catch((error: unknown) =>
        logger.error({ component: 'index', err: error }, 'the background check of the index failed'),
      );
  };
  const ready = (async () => {
    if (settings.databaseUrl !== null) {
      node = await prepareStoreNode(settings, indexLog);
      journal = node.journal;
      versions = node.versions;
    }
    return load(false, async (first) => {
      if (follower) await follower.start();
      // The archive of the moment (a rebuild replaces it; while it runs, the one being replaced reports).
      else if (node)
        node.mirror.follow(async () => (live ? (await live.syncJournal(), live.appliedSeq) : first.appliedSeq));
    });
  })();

  const close = async () => {
    stopping = true;
    probes?.setStopping();
    // Keep accepting and reading a moment: requests sent before the signal, which the
    // busy loop had not read yet, are parsed now (and queued) instead of being reset.
    // Quiet is judged only right after a poll phase (setImmediate runs after it), over two
    // turns: after a long search, timers run before the loop has accepted anything, and a
    // connection accepted in one turn has its request read in the next.
    let lastConnection = performance.now();
    let turnsSince = 0;
    const seen = () => {
      lastConnection = performance.now();
      turnsSince = 0;
    };
    server.on('connection', seen);
    const started = performance.now();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      await new Promise((resolve) => setImmediate(resolve));
      turnsSince++;
      const quiet = turnsSince >= 2 && performance.now() - lastConnection >= SETTLE.quietMs;
      if (quiet || performance.now() - started >= SETTLE.maxMs) break;
    }
    server.off('connection', seen);
    await new Promise<void>((resolve) => {
      // Stops accepting and closes the connections idle now; each response sent from
      // now on closes its own connection once flushed (see closeWhenStopping).
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), settings.shutdownTimeoutS * 1000).unref();
    });
    // The admin port answers until the main listener is drained: probes see "stopping", not a refusal.
    await probes?.close();
    watcher?.close();
    await node?.mirror.close();
    await live?.close();
    await alerts?.close();
    journal?.close();
    versions?.close();
    await analytics?.close();
    await node?.store.close();
    lock?.release();
  };
  return { server, url, adminUrl, ready, close };
}

/** Whether the service keeps saved searches: a key is set (they are never anonymous) and `MAX_ALERTS` > 0. */
export function alertsEnabled(settings: Pick<CliSettings, 'maxAlerts' | 'adminKey' | 'searchKey'>): boolean {
  return settings.maxAlerts > 0 && (settings.adminKey !== null || settings.searchKey !== null);
}

/**
 * Takes the lock of the folders this process writes: the index cache, and the
 * journal where writes are on (an admin key, or an article store's mirror).
 * Throws `folder_locked` naming the owner when another process holds one.
 */
export function lockOwnFolders(
  settings: Pick<CliSettings, 'cacheDir' | 'journalDir' | 'adminKey' | 'databaseUrl'>,
  command: string,
): OwnerLock {
  const writesJournal = settings.adminKey !== null || settings.databaseUrl !== null;
  return lockFolders(
    [
      { dir: settings.cacheDir, what: 'the index cache' },
      ...(writesJournal ? [{ dir: settings.journalDir, what: 'the journal folder' }] : []),
    ],
    command,
  );
}
