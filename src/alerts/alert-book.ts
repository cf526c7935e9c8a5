import type { Alert, AlertEvent, DeliveryState, FeedEntry } from './alert.js';
import type { AlertRecord } from './alert-log.js';

/** Most entries an alert's feed keeps (the oldest are dropped). */
export const MAX_FEED_ENTRIES = 100;

/** An event waiting for its webhook delivery, with its attempts so far. */
export interface PendingEvent {
  event: AlertEvent;
  failures: number;
  /** When to try next, ms since the epoch (0: at once). */
  nextAt: number;
  lastError: string | null;
}

/** An event whose delivery ended: sent, or given up on; `at`: when (ISO 8601). */
export interface DeliveredEvent {
  event: AlertEvent;
  at: string;
  outcome: 'sent' | 'abandoned';
}

/**
 * The webhook side of one alert: its queue (in event order), its last
 * success, and the events delivered within the retention period (oldest
 * first; see `forgetDelivered`).
 */
export interface Outbox {
  queue: PendingEvent[];
  lastSuccess: string | null;
  delivered: DeliveredEvent[];
}

/**
 * The alerts' state in memory, as the records of the alert log build it:
 * alerts by id, each one's feed (by article id, at most {@link MAX_FEED_ENTRIES})
 * and outbox, which alerts' feeds hold each article, and how far the journal of
 * writes was matched. `apply` is the only way it changes, for records replayed
 * at open and records just appended alike, so both give the same state.
 */
export class AlertBook {
  readonly alerts = new Map<string, Alert>();
  readonly feeds = new Map<string, Map<string, FeedEntry>>();
  readonly outboxes = new Map<string, Outbox>();
  /** Article id → the alerts whose feed holds it. */
  readonly byArticle = new Map<string, Set<string>>();
  /** The journal of writes was matched up to this change number (null: never recorded). */
  matchedSeq: number | null = null;
  /** When the journal was last recorded as matched (ISO 8601), or null. */
  matchedAt: string | null = null;
  /** Number of the last event (events are numbered from 1). */
  lastEventSeq = 0;
  /** Ids of the events in some queue. */
  private readonly queued = new Set<string>();
  /** Ids of the alerts whose queue holds events (the deliveries walk these, not every alert). */
  readonly waiting = new Set<string>();

  apply(record: AlertRecord): void {
    switch (record.r) {
      case 'alert':
        this.alerts.set(record.alert.id, record.alert);
        if (!this.feeds.has(record.alert.id)) this.feeds.set(record.alert.id, new Map());
        if (!this.outboxes.has(record.alert.id))
          this.outboxes.set(record.alert.id, { queue: [], lastSuccess: null, delivered: [] });
        break;
      case 'drop': {
        for (const articleId of this.feeds.get(record.id)?.keys() ?? []) this.unlink(articleId, record.id);
        for (const pending of this.outboxes.get(record.id)?.queue ?? []) this.queued.delete(pending.event.id);
        this.waiting.delete(record.id);
        this.alerts.delete(record.id);
        this.feeds.delete(record.id);
        this.outboxes.delete(record.id);
        break;
      }
      case 'event': {
        const { event, entry } = record;
        this.lastEventSeq = Math.max(this.lastEventSeq, event.seq);
        const feed = this.feeds.get(event.alertId);
        if (!feed) break;
        const articleId = event.article.articleId;
        feed.delete(articleId);
        if (entry) {
          feed.set(articleId, entry);
          this.link(articleId, event.alertId);
          if (feed.size > MAX_FEED_ENTRIES) {
            const oldest = feed.keys().next().value as string;
            feed.delete(oldest);
            this.unlink(oldest, event.alertId);
          }
        } else this.unlink(articleId, event.alertId);
        // Queued once: a log rewritten while the service runs holds some events twice (see `AlertLog.rewrite`).
        const outbox = this.outboxes.get(event.alertId);
        if (record.queued && outbox && !this.queued.has(event.id)) {
          outbox.queue.push({ event, failures: 0, nextAt: 0, lastError: null });
          this.queued.add(event.id);
          this.waiting.add(event.alertId);
        }
        break;
      }
      case 'sent': {
        const outbox = this.outboxes.get(record.alertId);
        if (!outbox) break;
        this.settle(outbox, record.eventId, record.at, 'sent');
        outbox.lastSuccess = record.at;
        break;
      }
      case 'failed': {
        const pending = this.outboxes.get(record.alertId)?.queue.find((p) => p.event.id === record.eventId);
        if (pending)
          Object.assign(pending, { failures: record.failures, nextAt: record.nextAt, lastError: record.error });
        break;
      }
      case 'abandon': {
        const outbox = this.outboxes.get(record.alertId);
        if (outbox) this.settle(outbox, record.eventId, record.at, 'abandoned');
        break;
      }
      case 'delivered': {
        const outbox = this.outboxes.get(record.event.alertId);
        if (outbox && !outbox.delivered.some((d) => d.event.id === record.event.id))
          outbox.delivered.push({ event: record.event, at: record.at, outcome: record.outcome });
        break;
      }
      case 'matched':
        this.matchedSeq = Math.max(this.matchedSeq ?? 0, record.seq);
        if (record.at !== undefined && (this.matchedAt === null || record.at > this.matchedAt))
          this.matchedAt = record.at;
        break;
    }
  }

  /** The feed entries of an alert, newest first (by last change). */
  entries(alertId: string): FeedEntry[] {
    return [...(this.feeds.get(alertId)?.values() ?? [])].sort((a, b) =>
      a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0,
    );
  }

  /** Where an alert's webhook deliveries stand. */
  delivery(alertId: string): DeliveryState {
    const outbox = this.outboxes.get(alertId);
    const head = outbox?.queue[0];
    return {
      pending: outbox?.queue.length ?? 0,
      lastSuccess: outbox?.lastSuccess ?? null,
      failures: head?.failures ?? 0,
      lastError: head?.lastError ?? null,
      nextTry: head ? new Date(head.nextAt).toISOString() : null,
      abandoned: outbox?.delivered.filter((d) => d.outcome === 'abandoned').length ?? 0,
    };
  }

  /** Forgets the events delivered before `before` (ISO 8601); returns how many. */
  forgetDelivered(before: string): number {
    let forgotten = 0;
    for (const outbox of this.outboxes.values()) {
      const kept = outbox.delivered.filter((d) => d.at >= before);
      forgotten += outbox.delivered.length - kept.length;
      outbox.delivered = kept;
    }
    return forgotten;
  }

  /** The number of records `snapshot` would make (without making them). */
  snapshotSize(): number {
    let n = this.matchedSeq === null ? 0 : 1;
    for (const [id, outbox] of this.outboxes) {
      n += 1 + (this.feeds.get(id)?.size ?? 0) + outbox.delivered.length + (outbox.lastSuccess ? 1 : 0);
      for (const pending of outbox.queue) n += pending.failures ? 2 : 1;
    }
    return n;
  }

  /** Records that rebuild this state from nothing (to rewrite the log shorter). */
  snapshot(): AlertRecord[] {
    const records: AlertRecord[] = [];
    if (this.matchedSeq !== null)
      records.push({ r: 'matched', seq: this.matchedSeq, ...(this.matchedAt === null ? {} : { at: this.matchedAt }) });
    for (const alert of this.alerts.values()) {
      records.push({ r: 'alert', alert });
      const outbox = this.outboxes.get(alert.id)!;
      const queued = new Set(outbox.queue.map((p) => p.event.id));
      // Feed entries as events (oldest first); queued events keep their place in the outbox.
      const feed = [...this.feeds.get(alert.id)!.values()].sort((a, b) =>
        a.updated < b.updated ? -1 : a.updated > b.updated ? 1 : 0,
      );
      for (const entry of feed) {
        const event: AlertEvent = {
          id: `snap-${alert.id}-${entry.article.articleId}`,
          type: 'alert.match',
          alertId: alert.id,
          article: entry.article,
          seq: 0,
          at: entry.updated,
        };
        records.push({ r: 'event', event, entry, queued: false });
      }
      for (const pending of outbox.queue) {
        const current = this.feeds.get(alert.id)!.get(pending.event.article.articleId) ?? null;
        records.push({ r: 'event', event: pending.event, entry: current, queued: queued.has(pending.event.id) });
        if (pending.failures)
          records.push({
            r: 'failed',
            alertId: alert.id,
            eventId: pending.event.id,
            at: pending.event.at,
            failures: pending.failures,
            error: pending.lastError ?? '',
            nextAt: pending.nextAt,
          });
      }
      if (outbox.lastSuccess) records.push({ r: 'sent', alertId: alert.id, eventId: '', at: outbox.lastSuccess });
      for (const { event, at, outcome } of outbox.delivered) records.push({ r: 'delivered', event, at, outcome });
    }
    return records;
  }

  /** An event of `outbox`'s queue delivered (sent or given up): out of the queue, into the delivered ones. */
  private settle(outbox: Outbox, eventId: string, at: string, outcome: DeliveredEvent['outcome']): void {
    if (!this.queued.has(eventId)) return;
    const done = outbox.queue.find((p) => p.event.id === eventId);
    if (!done) return;
    this.queued.delete(eventId);
    outbox.queue = outbox.queue.filter((p) => p !== done);
    if (outbox.queue.length === 0) this.waiting.delete(done.event.alertId);
    outbox.delivered.push({ event: done.event, at, outcome });
  }

  private link(articleId: string, alertId: string): void {
    let set = this.byArticle.get(articleId);
    if (!set) this.byArticle.set(articleId, (set = new Set()));
    set.add(alertId);
  }

  private unlink(articleId: string, alertId: string): void {
    const set = this.byArticle.get(articleId);
    set?.delete(alertId);
    if (set?.size === 0) this.byArticle.delete(articleId);
  }
}
