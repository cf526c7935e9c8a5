import { performance } from 'node:perf_hooks';
import type { Article } from '../corpus/article.js';
import { SearchError } from '../errors.js';
import type { Alert, DeliveryState, FeedEntry } from './alert.js';
import type { TermFrequency } from './alert-anchors.js';
import { AlertBook } from './alert-book.js';
import { type CatchUpJournal, changesToCatchUp } from './alert-catch-up.js';
import type { AlertInput, AlertPatch, Alerts, AlertStats, VisibleChange } from './alerts-api.js';
import { AlertLog, type AlertRecord } from './alert-log.js';
import { AlertMatcher, checkAlertQuery } from './alert-matcher.js';
import { ChangeMatching } from './change-matching.js';
import { FeedEvents } from './feed-events.js';
import { newAlert } from './new-alert.js';
import { checkWebhookUrl, NO_EXCEPTIONS, type WebhookAllowList } from './webhook-target.js';
import { DEFAULT_RETRY, deliverChecked, WebhookDelivery, type Deliver, type RetryPolicy } from './webhook-delivery.js';

/** Most saved searches by default (`MAX_ALERTS`). */
export const DEFAULT_MAX_ALERTS = 10_000;
/** Longest run of matching in one turn of the event loop (ms); a bulk import's step is matched over several turns. */
const MATCH_SLICE_MS = 20;
/** How long delivered events are kept by default (`ALERT_RETENTION_DAYS`): 7 days, in ms. */
export const DEFAULT_ALERT_RETENTION_MS = 7 * 24 * 3600_000;
/** The delivered events past the retention period are forgotten, and the log rewritten when mostly superseded, this often (ms). */
const COMPACT_EVERY_MS = 60_000;
/** The log is rewritten once it holds more than twice the records of the state, plus this many. */
const COMPACT_SLACK = 1_000;

export type { AlertInput, AlertPatch, AlertStats, VisibleChange } from './alerts-api.js';

export interface AlertServiceOptions {
  /** Folder of the alert log (created). */
  dir: string;
  /** Most alerts; default {@link DEFAULT_MAX_ALERTS}. */
  maxAlerts?: number;
  /** Webhook hosts and ranges allowed although private (`ALERT_WEBHOOK_ALLOW`); default none. */
  allow?: WebhookAllowList;
  retry?: Partial<RetryPolicy>;
  /** The webhook sender; default the real one (checked and pinned). */
  deliver?: Deliver;
  /** How common an index term is in the archive now (to choose alerts' anchor terms); default: all equal. */
  frequency?: TermFrequency;
  /** False: every exact check runs the search, none the quick check (to measure one against the other); default true. */
  quickChecks?: boolean;
  /** How long delivered (sent or given up) events are kept in the outbox (ms); default {@link DEFAULT_ALERT_RETENTION_MS}. */
  retentionMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

/**
 * Saved searches and alerts: the one door of `src/alerts/`. Keeps the alerts
 * (created, changed, deleted through it), matches each article that becomes
 * visible against them (`AlertMatcher`), turns matches, corrections and
 * takedowns into events (`alert.match`, `alert.update`, `alert.retract`) that
 * update each alert's feed and queue for its webhook, and delivers them
 * (`WebhookDelivery`). Everything durable goes through one append-only log
 * (`AlertLog`), replayed at open.
 */
export class AlertService implements Alerts {
  private readonly matcher = new AlertMatcher();
  private readonly delivery: WebhookDelivery;
  private readonly maxAlerts: number;
  private readonly allow: WebhookAllowList;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private frequency: TermFrequency;
  private work: { change: VisibleChange; matching: ChangeMatching }[] = [];
  private draining = false;
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => {};
  private readonly feedEvents: FeedEvents;
  private matchSeconds = 0;
  private matchedArticles = 0;
  private readonly retentionMs: number;
  private compactTimer: NodeJS.Timeout | null = null;
  private compacting: Promise<boolean> | null = null;

  private constructor(
    private readonly book: AlertBook,
    private readonly store: AlertLog,
    options: AlertServiceOptions,
  ) {
    this.maxAlerts = options.maxAlerts ?? DEFAULT_MAX_ALERTS;
    this.allow = options.allow ?? NO_EXCEPTIONS;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    this.frequency = options.frequency ?? (() => 1);
    this.retentionMs = options.retentionMs ?? DEFAULT_ALERT_RETENTION_MS;
    this.matcher.quickChecks = options.quickChecks ?? true;
    this.feedEvents = new FeedEvents(book, this.now);
    this.delivery = new WebhookDelivery(book, store, {
      allow: this.allow,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      deliver: options.deliver ?? deliverChecked,
      now: this.now,
      onError: (error) => this.log(`alerts: a delivery failed unexpectedly (${(error as Error).message})`),
    });
    for (const alert of book.alerts.values())
      if (!alert.paused) this.matcher.put(alert.id, alert.query, this.frequency);
  }

  /**
   * Opens the alerts of `options.dir` (replaying its log, rewriting it shorter
   * when mostly superseded) and starts delivering; from then on, every
   * {@link COMPACT_EVERY_MS}, see `compact`.
   */
  static async open(options: AlertServiceOptions): Promise<AlertService> {
    const book = new AlertBook();
    const store = AlertLog.open(options.dir, (record) => book.apply(record));
    const service = new AlertService(book, store, options);
    await service.compact();
    service.delivery.pump();
    service.compactTimer = setInterval(() => {
      service
        .compact()
        .catch((error: unknown) =>
          service.log(`alerts: the log could not be rewritten (${(error as Error).message}); it is kept as it was`),
        );
    }, COMPACT_EVERY_MS);
    service.compactTimer.unref();
    return service;
  }

  /**
   * Prunes the outbox: forgets the events delivered (sent or given up) longer
   * ago than the retention period, and rewrites the log as the state it
   * holds (alerts, feeds, queued events, the deliveries kept) once it holds
   * more than twice that many records plus {@link COMPACT_SLACK}: the log
   * stays within a bounded multiple of the state, however long the service
   * runs. True when it rewrote the log.
   */
  compact(): Promise<boolean> {
    this.compacting ??= this.compactNow().finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  private async compactNow(): Promise<boolean> {
    this.book.forgetDelivered(new Date(this.now() - this.retentionMs).toISOString());
    if (this.store.records <= 2 * this.book.snapshotSize() + COMPACT_SLACK) return false;
    const before = this.store.records;
    await this.store.rewrite(() => this.book.snapshot());
    this.log(`alerts: log rewritten as its state (${before} records → ${this.store.records})`);
    return true;
  }

  /** Sets how term frequencies are read (the live index once it is open). */
  useFrequency(frequency: TermFrequency): void {
    this.frequency = frequency;
  }

  /** Number of alerts. */
  get count(): number {
    return this.book.alerts.size;
  }

  /** Every alert, oldest first. */
  list(): Alert[] {
    return [...this.book.alerts.values()];
  }

  get(id: string): Alert | undefined {
    return this.book.alerts.get(id);
  }

  /** An alert's feed, newest first. */
  entries(id: string): FeedEntry[] {
    return this.book.entries(id);
  }

  /** Where an alert's webhook deliveries stand. */
  deliveryOf(id: string): DeliveryState {
    return this.book.delivery(id);
  }

  /**
   * Creates an alert: `invalid_alert_q` for a query that can never match,
   * `invalid_alert_webhook` for a refused URL, `too_many_alerts` past the cap.
   */
  async create(input: AlertInput): Promise<Alert> {
    if (this.book.alerts.size >= this.maxAlerts)
      throw new SearchError(
        'too_many_alerts',
        `This service keeps at most ${this.maxAlerts} alerts (MAX_ALERTS); delete some first.`,
      );
    const alert = await newAlert(input, this.allow, this.now());
    await this.commit([{ r: 'alert', alert }]);
    if (!alert.paused) this.matcher.put(alert.id, alert.query, this.frequency);
    return alert;
  }

  /** Changes an alert (null when unknown); the same checks as `create`. Removing the webhook gives up its queued events. */
  async update(id: string, patch: AlertPatch): Promise<Alert | null> {
    const current = this.book.alerts.get(id);
    if (!current) return null;
    if (patch.query) checkAlertQuery(patch.query.q);
    if (patch.webhook) await checkWebhookUrl(patch.webhook.url, this.allow);
    const alert: Alert = { ...current, ...patch, id, updatedAt: new Date(this.now()).toISOString() };
    const records: AlertRecord[] = [{ r: 'alert', alert }];
    if (patch.webhook === null) {
      for (const pending of this.book.outboxes.get(id)?.queue ?? [])
        records.push({ r: 'abandon', alertId: id, eventId: pending.event.id, at: alert.updatedAt });
    }
    await this.commit(records);
    if (alert.paused) this.matcher.drop(id);
    else this.matcher.put(id, alert.query, this.frequency);
    this.delivery.pump();
    return alert;
  }

  /** Deletes an alert with its feed and queued events; false when unknown. */
  async remove(id: string): Promise<boolean> {
    if (!this.book.alerts.has(id)) return false;
    this.matcher.drop(id);
    await this.commit([{ r: 'drop', id }]);
    return true;
  }

  /**
   * Takes a change of what readers see (see `VisibleChange`). A small one is
   * matched at once, in this call; a big one (a bulk import's step) in slices
   * of {@link MATCH_SLICE_MS} between other work (see `ChangeMatching`). Events are appended to
   * the log; `flushed()` resolves once they are durable.
   */
  articlesChanged(change: VisibleChange): void {
    this.work.push({ change, matching: new ChangeMatching(this.matcher, change.published, change.index) });
    if (!this.draining) {
      this.draining = true;
      this.idle = new Promise((resolve) => (this.markIdle = resolve));
      this.step();
    }
  }

  /**
   * At a start: matches the journal's changes after the last matched one (a
   * crash may have come between a write and its events), and the API's
   * embargoed articles released while the service was down; `articleOf` gives
   * an id's visible article, or null. A first start only records where the
   * journal is, or, given `firstSeq` (where the journal was when the service
   * started, before it took writes: with workers, the alerts open after
   * them), matches the changes after it. Events already made are not made
   * again (an unchanged feed entry is no update).
   */
  catchUp(journal: CatchUpJournal, articleOf: (id: string) => Article | null, firstSeq?: number): void {
    const from = this.book.matchedSeq ?? firstSeq ?? null;
    const recordWhereJournalIs = () => {
      this.commit([{ r: 'matched', seq: journal.lastSeq, at: new Date(this.now()).toISOString() }]).catch(() => {});
    };
    if (from === null) {
      recordWhereJournalIs();
      return;
    }
    const { published, withdrawn } = changesToCatchUp(journal, articleOf, from, this.book.matchedAt);
    if (published.length + withdrawn.length === 0) {
      if (this.book.matchedSeq === null) recordWhereJournalIs();
      return;
    }
    this.log(
      `alerts: matching ${published.length + withdrawn.length} article(s) written or released since the last run`,
    );
    this.articlesChanged({ published, withdrawn, seq: journal.lastSeq });
  }

  /** Resolves once every change given so far is matched and its events are durable. */
  async flushed(): Promise<void> {
    await this.idle;
    await this.store.flushed();
  }

  stats(): AlertStats {
    let queued = 0;
    for (const outbox of this.book.outboxes.values()) queued += outbox.queue.length;
    return {
      alerts: this.book.alerts.size,
      events: { ...this.feedEvents.counts },
      deliveries: { ...this.delivery.counts },
      queued,
      queueAgeSeconds: this.delivery.queueAgeSeconds(),
      matchSeconds: this.matchSeconds,
      matchedArticles: this.matchedArticles,
    };
  }

  /** Alerts checked against every article (their query names no word to look up). */
  get unanchoredCount(): number {
    return this.matcher.unanchoredCount;
  }

  /** Finishes matching, stops deliveries (those in flight end first) and closes the log. */
  async close(): Promise<void> {
    if (this.compactTimer) clearInterval(this.compactTimer);
    await this.compacting?.catch(() => {});
    await this.idle;
    await this.delivery.stop();
    await this.store.close();
  }

  /** One turn of matching; a failure drops the change at hand (logged) rather than stalling every later one. */
  private step(): void {
    try {
      this.drain();
    } catch (error) {
      this.log(`alerts: matching a change failed (${(error as Error).message}); its events are lost`);
      this.work.shift();
      if (this.work.length > 0) setImmediate(() => this.step());
      else {
        this.draining = false;
        this.markIdle();
      }
    }
  }

  private drain(): void {
    const started = performance.now();
    const deadline = started + MATCH_SLICE_MS;
    do {
      const job = this.work[0]!;
      const change = job.change;
      const records: AlertRecord[] = [];
      const before = job.matching.matchedArticles;
      for (const { article, matches } of job.matching.advance(deadline))
        records.push(...this.feedEvents.of(article, matches));
      this.matchedArticles += job.matching.matchedArticles - before;
      if (job.matching.done) {
        const shown = new Set(change.published.map((a) => a.id));
        for (const id of change.withdrawn)
          if (!shown.has(id)) records.push(...this.feedEvents.retractions(id, new Set()));
        if (change.seq !== null)
          records.push({ r: 'matched', seq: change.seq, at: new Date(this.now()).toISOString() });
        this.work.shift();
      }
      if (records.length) {
        for (const record of records) if (record.r !== 'event') this.book.apply(record);
        this.store.append(records).then(
          () => this.delivery.pump(),
          (error: unknown) => this.log(`alerts: events not saved (${(error as Error).message})`),
        );
      }
    } while (this.work.length > 0 && performance.now() < deadline);
    this.matchSeconds += (performance.now() - started) / 1000;
    if (this.work.length > 0) setImmediate(() => this.step());
    else {
      this.draining = false;
      this.markIdle();
    }
  }

  /** Appends records, then applies them. */
  private async commit(records: AlertRecord[]): Promise<void> {
    await this.store.append(records);
    for (const record of records) this.book.apply(record);
  }
}
