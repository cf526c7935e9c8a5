import cluster from 'node:cluster';
import { openIndex } from '../index/open-index.js';
import { relayAlerts } from '../alerts/alerts-link.js';
import type { Logger } from '../log/create-logger.js';
import { keepCorpusVersions } from '../live/corpus-versions.js';
import { VersionHistory } from '../live/version-history.js';
import { broadcastCorpusChange, serveWorkerWrites } from '../live/cluster-link.js';
import { watchCorpus } from '../live/corpus-watch.js';
import { describe, indexProgress, sentence } from './index-report.js';
import { describeChange, openJournal, removeWorkerFolders } from './live-setup.js';
import { openIndexSettings } from './open-index-settings.js';
import type { CliSettings } from './parse-args.js';
import { alertsEnabled } from './alerts-enabled.js';
import { lockOwnFolders } from './lock-own-folders.js';

/**
 * Runs the service with `settings.workers` processes sharing the port (Node's
 * cluster). The primary builds or updates the index cache first, so each worker
 * then starts from the snapshot; each worker holds its own copy of the index.
 * The primary's copy is dropped before the workers start: it answers no query.
 */
export async function runCluster(settings: CliSettings, logger: Logger): Promise<void> {
  const lock = lockOwnFolders(settings, `npm start, WORKERS=${settings.workers}`);
  const journal = openJournal(settings, true);
  removeWorkerFolders(settings.cacheDir);
  const log = (line: string) => logger.info({ component: 'index' }, line);
  // The primary owns the version file as it owns the journal; the workers read it.
  const versions =
    settings.adminKey === null
      ? null
      : VersionHistory.open(settings.journalDir, { write: true, maxVersions: settings.maxVersions });
  const prepared = await openIndex({
    ...openIndexSettings(settings),
    log,
    onProgress: indexProgress(logger),
    overrides: journal,
    ...(versions ? { onCorpusReplaced: (before, now) => keepCorpusVersions(versions, before, now) } : {}),
  });
  logger.info(
    { component: 'index', ...describe(prepared) },
    `primary: ${sentence(prepared)}; starting ${settings.workers} workers`,
  );
  serveWorkerWrites(journal, versions);
  if (alertsEnabled(settings)) relayAlerts(journal.lastSeq, (line) => logger.info({ component: 'alerts' }, line));
  const watcher = settings.watch
    ? watchCorpus({
        corpusDir: settings.corpusDir,
        limits: openIndexSettings(settings).corpusLimits,
        files: prepared.files,
        onChange: async (change) => {
          broadcastCorpusChange(change);
          log(`corpus changed: ${describeChange(change.touched)} sent to the workers`);
        },
        log,
      })
    : null;
  prepared.index.close();
  for (let i = 0; i < settings.workers; i++) cluster.fork();
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.warn(
      { worker: worker.process.pid, code, signal },
      `worker ${worker.process.pid} exited (${signal ?? code}); starting another`,
    );
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    watcher?.close();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await new Promise<void>((resolve) => {
    const check = () => {
      if (stopping && Object.keys(cluster.workers ?? {}).length === 0) resolve();
    };
    cluster.on('exit', check);
  });
  versions?.close();
  lock.release();
}
