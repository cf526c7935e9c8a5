import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Article } from '../corpus/article.js';
import { SearchError } from '../errors.js';
import { PgAlerts, type ProposedEvent } from '../store/pg-alerts.js';
import type { Alert, AlertEventType, DeliveryState, EventArticle, FeedEntry } from './alert.js';
import type { TermFrequency } from './alert-anchors.js';
import { AlertMatcher, checkAlertQuery } from './alert-matcher.js';
import type { AlertInput, AlertPatch, Alerts, AlertStats, VisibleChange } from './alerts-api.js';
import { ChangeMatching, type MatchedArticle } from './change-matching.js';
import { SharedDelivery, SHARED_DELIVERY_LOOPS } from './shared-delivery.js';
import { DEFAULT_RETRY, deliverChecked, type Deliver, type RetryPolicy } from './webhook-delivery.js';
import { DEFAULT_ALERT_RETENTION_MS } from './alert-service.js';
import { eventArticle, eventDigest, retractedArticle } from './event-article.js';
import { newAlert } from './new-alert.js';
import { checkWebhookUrl, NO_EXCEPTIONS, type WebhookAllowList } from './webhook-target.js';

/** Longest run of matching in one turn of the event loop (ms). */
const MATCH_SLICE_MS = 20;
/** The undelivered events' count and age (for the metrics) are read this often (ms). */
const QUEUE_STATS_MS = 5_000;
/** A node prunes the shared outbox this often (ms), when no other node is pruning it. */
const PRUNE_EVERY_MS = 10 * 60_000;

export interface SharedAlertServiceOptions {
  /** The article store's `DATABASE_URL`. */
  databaseUrl: string;
  /** The store's change number of an id's latest change (the node's mirror journal), for changes that carry none (an embargo release). */
  seqOf: (id: string) => number | undefined;
  maxAlerts: number;
  /** How long delivered (sent or given up) events are kept in the outbox (ms); default `DEFAULT_ALERT_RETENTION_MS`. */
  retentionMs?: number;
  allow?: WebhookAllowList;
  retry?: Partial<RetryPolicy>;
  deliver?: Deliver;
  frequency?: TermFrequency;
  now?: () => number;
  log?: (line: string) => void;
}

/** Digest of what a feed entry shows: the same article matched again unchanged is no update. */
/**
 * Saved searches shared by the nodes of a PostgreSQL article store
 * (`DATABASE_URL`): the alerts live in the store (`PgAlerts`), and this node
 * reloads the ones it matches when their change counter moved, checked before
 * each change it matches. Every node matches the changes it applies (the same
 * `AlertMatcher` as one process) and proposes their events to the store's
 * outbox keyed by (alert, article, change number), where the first proposal
 * wins: three nodes make one event. What an event is (match, update,
 * retraction) is decided from the feed as it stood before that change, read
 * from the store, so every node decides alike. Any node delivers
 * (`SharedDelivery`); feeds and delivery state are read from the store.
 */
export class SharedAlertService implements Alerts {
  private readonly matcher = new AlertMatcher();
  /** The alerts as last loaded, by id. */
  private readonly known = new Map<string, Alert>();
  private version = -1;
  private readonly delivery: SharedDelivery;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly frequency: TermFrequency;
  private chain: Promise<void> = Promise.resolve();
  private readonly events: Record<AlertEventType, number> = { 'alert.match': 0, 'alert.update': 0, 'alert.retract': 0 };
  private matchSeconds = 0;
  private matchedArticles = 0;
  private queueStats = { queued: 0, ageSeconds: 0 };
  private statsTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private pruning: Promise<number> | null = null;

  private constructor(
    private readonly store: PgAlerts,
    private readonly options: SharedAlertServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    this.frequency = options.frequency ?? (() => 1);
    this.delivery = new SharedDelivery(store, {
      allow: options.allow ?? NO_EXCEPTIONS,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      deliver: options.deliver ?? deliverChecked,
      onError: (error) => this.log(`alerts: delivering from the store failed (${(error as Error).message})`),
    });
  }

  /** Creates the store's alert tables when missing, loads the alerts and starts delivering. */
  static async open(options: SharedAlertServiceOptions): Promise<SharedAlertService> {
    const store = new PgAlerts(options.databaseUrl, SHARED_DELIVERY_LOOPS + 2);
    await store.prepare();
    const service = new SharedAlertService(store, options);
    await service.refresh();
    service.delivery.start();
    service.statsTimer = setInterval(() => {
      store.queue().then(
        (stats) => (service.queueStats = stats),
        () => {},
      );
    }, QUEUE_STATS_MS);
    service.statsTimer.unref();
    service.pruneTimer = setInterval(() => {
      service
        .prune()
        .catch((error: unknown) =>
          service.log(`alerts: pruning the outbox failed (${(error as Error).message}); tried again later`),
        );
    }, PRUNE_EVERY_MS);
    service.pruneTimer.unref();
    return service;
  }

  /**
   * Prunes the store's outbox (`PgAlerts.prune`): the events delivered, given
   * up or never queued before the retention period that no feed needs.
   * Returns how many went (0 when another node prunes it now).
   */
  prune(): Promise<number> {
    this.pruning ??= this.store
      .prune(this.options.retentionMs ?? DEFAULT_ALERT_RETENTION_MS)
      .then((pruned) => {
        if (pruned > 0)
          this.log(`alerts: ${pruned} delivered event(s) past the retention period pruned from the outbox`);
        return pruned;
      })
      .finally(() => {
        this.pruning = null;
      });
    return this.pruning;
  }

  get count(): number {
    return this.known.size;
  }

  list(): Promise<Alert[]> {
    return this.store.list();
  }

  get(id: string): Promise<Alert | undefined> {
    return this.store.get(id);
  }

  entries(id: string): Promise<FeedEntry[]> {
    return this.store.feed(id);
  }

  deliveryOf(id: string): Promise<DeliveryState> {
    return this.store.delivery(id);
  }

  /** As `AlertService.create`: `invalid_alert_q`, `invalid_alert_webhook`, `too_many_alerts` past the cap (counted in the store). */
  async create(input: AlertInput): Promise<Alert> {
    const alert = await newAlert(input, this.options.allow ?? NO_EXCEPTIONS, this.now());
    if (!(await this.store.create(alert, this.options.maxAlerts))) {
      throw new SearchError(
        'too_many_alerts',
        `This service keeps at most ${this.options.maxAlerts} alerts (MAX_ALERTS); delete some first.`,
      );
    }
    this.learn(alert);
    return alert;
  }

  /** As `AlertService.update`; removing the webhook gives up its queued events. */
  async update(id: string, patch: AlertPatch): Promise<Alert | null> {
    const current = await this.store.get(id);
    if (!current) return null;
    if (patch.query) checkAlertQuery(patch.query.q);
    if (patch.webhook) await checkWebhookUrl(patch.webhook.url, this.options.allow ?? NO_EXCEPTIONS);
    const alert: Alert = { ...current, ...patch, id, updatedAt: new Date(this.now()).toISOString() };
    if (!(await this.store.replace(alert, patch.webhook === null))) return null;
    this.learn(alert);
    this.delivery.pump();
    return alert;
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.store.remove(id);
    this.known.delete(id);
    this.matcher.drop(id);
    return removed;
  }

  articlesChanged(change: VisibleChange): void {
    this.chain = this.chain
      .then(() => this.match(change))
      .catch((error: unknown) =>
        this.log(
          `alerts: matching a change failed (${(error as Error).message}); another node may have made its events`,
        ),
      );
  }

  /**
   * At a node's start: matches the changes after the last one any node
   * recorded as matched (changes made while every node was down, or cut by a
   * crash), as their articles are now (`articleOf`: the visible article of an
   * id, or null). Events another node made already are kept as they are (the
   * outbox keeps the first proposal). A first start only records where the
   * journal is.
   */
  async catchUp(
    journal: { lastSeq: number; changedSince(seq: number): string[]; seqOf(id: string): number | undefined },
    articleOf: (id: string) => Article | null,
  ): Promise<void> {
    const from = await this.store.matchedUpTo();
    if (from === null) return this.store.matched(journal.lastSeq);
    if (from >= journal.lastSeq) return;
    const published: Article[] = [];
    const withdrawn: string[] = [];
    const seqs = new Map<string, number>();
    for (const id of journal.changedSince(from)) {
      const article = articleOf(id);
      if (article) published.push(article);
      else withdrawn.push(id);
      const seq = journal.seqOf(id);
      if (seq !== undefined) seqs.set(id, seq);
    }
    if (published.length + withdrawn.length === 0) return;
    this.log(
      `alerts: matching ${published.length + withdrawn.length} article(s) changed after the last change any node matched (${from})`,
    );
    this.articlesChanged({ published, withdrawn, seq: journal.lastSeq, seqs });
  }

  async flushed(): Promise<void> {
    for (let last = this.chain; ; last = this.chain) {
      await last;
      if (last === this.chain) return;
    }
  }

  stats(): AlertStats {
    return {
      alerts: this.known.size,
      events: { ...this.events },
      deliveries: { ...this.delivery.counts },
      queued: this.queueStats.queued,
      queueAgeSeconds: this.queueStats.ageSeconds,
      matchSeconds: this.matchSeconds,
      matchedArticles: this.matchedArticles,
    };
  }

  async close(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.pruning?.catch(() => {});
    await this.flushed();
    await this.delivery.stop();
    await this.store.close();
  }

  /** Reloads the alerts when their change counter moved (another node changed them). */
  private async refresh(): Promise<void> {
    const version = await this.store.version();
    if (version === this.version) return;
    const alerts = await this.store.list();
    const seen = new Set<string>();
    for (const alert of alerts) {
      seen.add(alert.id);
      if (this.known.get(alert.id)?.updatedAt !== alert.updatedAt) this.learn(alert);
    }
    for (const id of [...this.known.keys()]) {
      if (seen.has(id)) continue;
      this.known.delete(id);
      this.matcher.drop(id);
    }
    this.version = version;
  }

  private learn(alert: Alert): void {
    this.known.set(alert.id, alert);
    if (alert.paused) this.matcher.drop(alert.id);
    else this.matcher.put(alert.id, alert.query, this.frequency);
  }

  /** Matches one change (in slices between other work) and proposes its events to the store. */
  private async match(change: VisibleChange): Promise<void> {
    await this.refresh();
    const matching = new ChangeMatching(this.matcher, change.published, change.index);
    const matched: MatchedArticle[] = [];
    let sliceStart = performance.now();
    while (!matching.done) {
      matched.push(...matching.advance(sliceStart + MATCH_SLICE_MS));
      if (!matching.done) {
        this.matchSeconds += (performance.now() - sliceStart) / 1000;
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    this.matchSeconds += (performance.now() - sliceStart) / 1000;
    this.matchedArticles += matching.matchedArticles;
    const seqOf = (id: string) => change.seqs?.get(id) ?? this.options.seqOf(id) ?? change.seq;
    const shown = new Set(change.published.map((a) => a.id));
    const involved = [...shown, ...change.withdrawn.filter((id) => !shown.has(id))].flatMap((id) => {
      const seq = seqOf(id);
      return seq === null || seq === undefined ? [] : [{ id, seq }];
    });
    const seqs = new Map(involved.map((a) => [a.id, a.seq]));
    const before = await this.store.entriesBefore(involved);
    const proposed: ProposedEvent[] = [];
    const at = new Date(this.now()).toISOString();
    for (const { article, matches } of matched) {
      const changeSeq = seqs.get(article.id);
      if (changeSeq === undefined) continue;
      const held = before.get(article.id) ?? new Map<string, FeedEntry>();
      const kept = new Set<string>();
      for (const { alertId, snippet } of matches) {
        if (!this.known.has(alertId)) continue;
        kept.add(alertId);
        const shownArticle = eventArticle(article, snippet);
        const digest = eventDigest(shownArticle);
        const existing = held.get(alertId);
        if (existing?.digest === digest) continue;
        const entry: FeedEntry = { article: shownArticle, published: existing?.published ?? at, updated: at, digest };
        proposed.push(
          this.proposal(existing ? 'alert.update' : 'alert.match', alertId, shownArticle, entry, changeSeq, at),
        );
      }
      for (const [alertId, entry] of held)
        if (!kept.has(alertId)) proposed.push(this.retraction(alertId, entry, changeSeq, at));
    }
    for (const id of change.withdrawn) {
      const changeSeq = seqs.get(id);
      if (shown.has(id) || changeSeq === undefined) continue;
      for (const [alertId, entry] of before.get(id) ?? [])
        proposed.push(this.retraction(alertId, entry, changeSeq, at));
    }
    const made = await this.store.propose(proposed);
    for (const type of made) this.events[type]++;
    if (made.length) this.delivery.pump();
    if (change.seq !== null) await this.store.matched(change.seq);
  }

  private retraction(alertId: string, entry: FeedEntry, changeSeq: number, at: string): ProposedEvent {
    return this.proposal('alert.retract', alertId, retractedArticle(entry.article), null, changeSeq, at);
  }

  private proposal(
    type: AlertEventType,
    alertId: string,
    article: EventArticle,
    entry: FeedEntry | null,
    changeSeq: number,
    at: string,
  ): ProposedEvent {
    return {
      alertId,
      articleId: article.articleId,
      changeSeq,
      event: { id: `ev_${randomUUID()}`, type, alertId, article, at },
      entry,
    };
  }
}
