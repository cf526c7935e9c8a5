import { withAlerts } from '../alerts/with-alerts.js';
import type { ArchiveWriter } from '../live/archive-writer.js';
import { localWriter } from '../live/archive-writer.js';
import { versionedWriter } from '../live/versioned-writer.js';
import { storeWriter } from '../store/store-writer.js';
import type { ServeState } from './serve-state.js';

/**
 * The writer the routes take writes through, made at the first write after each
 * load and told to the alerts: a worker's goes to its primary, a store node's to
 * the article store, a single process's to its journal, keeping the versions it
 * replaces. The routes ask for it only once the archive is live (before, they answer 503).
 */
export function serveWriter(s: ServeState): () => ArchiveWriter {
  const currentArticles = {
    article: (id: string) => s.live?.index.getArticle(id) ?? s.live?.heldArticle(id) ?? null,
    since: (id: string) =>
      s.versions?.correctedAt(id) ?? (s.journal?.opOf(id) === 'put' ? (s.journal.latest(id)?.at ?? null) : null),
  };
  return (): ArchiveWriter =>
    s.follower
      ? (s.followed ??= withAlerts(s.follower, () => s.alerts))
      : (s.local ??= withAlerts(
          s.node
            ? storeWriter(s.node.store, s.node.mirror, s.live!)
            : versionedWriter(localWriter(s.journal!, s.live!), s.versions!, currentArticles),
          () => s.alerts,
        ));
}
