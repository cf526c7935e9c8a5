import path from 'node:path';
import { AlertService } from '../alerts/alert-service.js';
import { serveAlertCalls } from '../alerts/alerts-link.js';
import { SharedAlertService } from '../alerts/shared-alert-service.js';
import type { OpenIndexResult } from '../index/open-index.js';
import type { ServeState } from './serve-state.js';

/**
 * In a cluster worker with saved searches on: answers the primary, which gives
 * the alerts to one worker. That worker opens them as one process opens them,
 * then catches them up; null in any other process. Call its `ready()` once the
 * worker's archive is live.
 */
export function serveWorkerAlerts(s: ServeState): { ready: () => void } | null {
  const { settings, logger } = s;
  // A worker owns the alerts once the primary gives them to it: opened as one process opens them, then caught up.
  return s.isWorker && s.alertsOn
    ? serveAlertCalls({
        open: async (firstSeq) => {
          const owned = await AlertService.open({
            dir: path.join(settings.journalDir, 'alerts'),
            ...alertOptions(s),
            frequency: (term) => s.live!.index.documentFrequency('paragraphs', term),
          });
          // The journal applied up to now, the changes since the last matched one are matched, and from
          // this turn on this worker's archive reports its changes to them (nothing can come between).
          await s.follower!.settled();
          owned.catchUp(s.journal!, (id) => s.live?.index.getArticle(id) ?? null, firstSeq);
          const remote = s.alerts;
          s.alerts = owned;
          await remote?.close();
          return owned;
        },
        settle: () => s.follower!.settled(),
        log: (line, error) => logger.error({ component: 'alerts', err: error }, line),
      })
    : null;
}

/**
 * Opens the saved searches at a load of the index, where this process keeps
 * them: each node of an article store opens the store's shared ones (once, and
 * waits for them at most 5 s), a single process its folder's. A cluster worker's
 * come from its primary (`serveWorkerAlerts`).
 */
export async function openAlerts(s: ServeState, result: OpenIndexResult): Promise<void> {
  const { settings, logger, node } = s;
  if (s.alertsOn && node && !s.alerts && !s.sharedAlerts) {
    // Shared by the store's nodes: opened once (a rebuild of this node's index keeps them),
    // tried again every 2 s while the store cannot be reached (the other nodes match meanwhile).
    const store = node.store;
    const open = (): Promise<void> =>
      SharedAlertService.open({
        databaseUrl: store.url,
        seqOf: (id) => s.journal?.seqOf(id),
        ...alertOptions(s),
        frequency: (term) => (s.live?.index ?? result.index).documentFrequency('paragraphs', term),
      }).then(
        async (opened) => {
          if (s.stopping) return void opened.close();
          s.alerts = opened;
          await opened
            .catchUp(s.journal!, (id) => (s.live?.index ?? result.index).getArticle(id) ?? null)
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
          if (!s.stopping) return open();
        },
      );
    s.sharedAlerts = open();
    await Promise.race([s.sharedAlerts, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  } else if (s.alertsOn && !s.isWorker) {
    const single = await AlertService.open({
      dir: path.join(settings.journalDir, 'alerts'),
      ...alertOptions(s),
      frequency: (term) => result.index.documentFrequency('paragraphs', term),
    });
    single.catchUp(s.journal!, (id) => result.index.getArticle(id) ?? null);
    s.alerts = single;
  }
}

/** The options every kind of saved searches opens with: their number, the webhooks' hosts, retries, retention, the log. */
function alertOptions(s: ServeState) {
  const { settings, logger } = s;
  return {
    maxAlerts: settings.maxAlerts,
    allow: settings.alertWebhookAllow,
    retry: { maxDelayMs: settings.alertRetryMaxS * 1000 },
    retentionMs: settings.alertRetentionDays * 24 * 3600_000,
    log: (line: string) => logger.info({ component: 'alerts' }, line),
  };
}
