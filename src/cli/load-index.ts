import { RemoteAlerts } from '../alerts/alerts-link.js';
import type { ProbeThread } from '../http/probe-thread.js';
import { openIndex, type OpenIndexResult } from '../index/open-index.js';
import { forwardCorpusVersions } from '../live/cluster-link.js';
import { keepCorpusVersions } from '../live/corpus-versions.js';
import { watchCorpus } from '../live/corpus-watch.js';
import { LiveArchive } from '../live/live-archive.js';
import { openAlerts } from './alerts-setup.js';
import { checkIndexLater } from './check-index-later.js';
import { describe, indexProgress, sentence } from './index-report.js';
import { describeChange, workerCache } from './live-setup.js';
import { openIndexSettings } from './open-index-settings.js';
import type { ServeState } from './serve-state.js';
import { warmUpIndex } from './warm-up-index.js';

/** What a load tells once the index serves: the listener's URL, the admin probes, a worker's alerts link. */
export interface Serving {
  url: string;
  probes: ProbeThread | null;
  alertLink: { ready: () => void } | null;
}

/**
 * Opens (or, with `rebuild`, rebuilds) the index and makes it live: the archive
 * of writes, the corpus watch, the cache warm, the background check of its bytes.
 * `beforeServing` runs once the live archive exists, before the index is published.
 */
export async function loadIndex(
  s: ServeState,
  serving: Serving,
  rebuild: boolean,
  beforeServing?: (current: LiveArchive) => Promise<void>,
): Promise<OpenIndexResult> {
  const { settings, logger, isWorker, indexLog } = s;
  const corpusDir = s.node?.corpusDir ?? settings.corpusDir;
  const result = await openIndex({
    ...openIndexSettings(settings),
    ...(rebuild ? { rebuild: true } : {}),
    corpusDir,
    log: indexLog,
    onProgress: indexProgress(logger),
    overrides: s.journal!,
    readOnly: isWorker,
    // A corpus file changed while the service was stopped: the commit's article is the earlier version.
    ...(s.versions?.writable && !s.node
      ? { onCorpusReplaced: (before, now) => keepCorpusVersions(s.versions!, before, now) }
      : {}),
  });
  await openAlerts(s, result);
  const opening = s.alerts;
  s.live = new LiveArchive({
    writer: result.writer,
    held: result.held,
    overrides: s.journal!,
    corpusDir,
    corpusLimits: openIndexSettings(settings).corpusLimits,
    files: result.files,
    problems: result.problems,
    segmentCache: isWorker ? workerCache(settings.cacheDir, indexLog) : result.cache,
    commits: !isWorker && result.cache !== null,
    log: indexLog,
    ...(s.alertsOn ? { onChange: (change) => (s.node || isWorker ? s.alerts : opening)?.articlesChanged(change) } : {}),
    // With a store its corpus folder is empty: every version comes from the store.
    ...(s.versions && !s.node && (!isWorker || settings.adminKey !== null)
      ? { versions: isWorker ? forwardCorpusVersions(s.versions) : s.versions }
      : {}),
  });
  s.local = null;
  s.followed = null;
  const current = s.live;
  await beforeServing?.(current);
  // A worker's archive is live: until the primary gives it the alerts, its routes send their calls to their owner.
  if (serving.alertLink && !s.alerts) {
    s.alerts = new RemoteAlerts();
    serving.alertLink.ready();
  }
  if (settings.watch && !s.follower && !s.node) {
    s.watcher = watchCorpus({
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
  const previous = s.index;
  s.index = result.index;
  s.opened = result;
  if (previous && previous !== s.index) previous.close();
  serving.probes?.setReady(result.index.articleCount, result.index.paragraphCount);
  logger.info(
    { component: 'index', ...describe(result) },
    `ready: ${sentence(result)}; try ${serving.url}/search?q=displaced`,
  );
  s.warmUp = warmUpIndex(result.index, logger);
  if (result.state !== 'rebuilt' && !settings.verify && result.commit)
    checkIndexLater(s, result, () => loadIndex(s, serving, true));
  return result;
}
