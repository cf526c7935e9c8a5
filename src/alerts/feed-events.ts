import { randomUUID } from 'node:crypto';
import type { Article } from '../corpus/article.js';
import type { Alert, AlertEvent, AlertEventType, EventArticle, FeedEntry } from './alert.js';
import type { AlertBook } from './alert-book.js';
import type { AlertRecord } from './alert-log.js';
import type { AlertMatch } from './alert-matcher.js';
import { eventArticle, eventDigest, retractedArticle } from './event-article.js';

/**
 * Turns what an article matched into the events of the file-backed alerts (`alert.match`, `alert.update`,
 * `alert.retract`), each applied to the book at once so the next article sees the feeds as they now are;
 * counts them by type.
 */
export class FeedEvents {
  readonly counts: Record<AlertEventType, number> = { 'alert.match': 0, 'alert.update': 0, 'alert.retract': 0 };

  constructor(
    private readonly book: AlertBook,
    private readonly now: () => number,
  ) {}

  /** The events of one visible article: new matches, changed matches, and retractions from feeds it no longer matches (applied to the book). */
  of(article: Article, matches: readonly AlertMatch[]): AlertRecord[] {
    const records: AlertRecord[] = [];
    const matched = new Set<string>();
    for (const { alertId, snippet } of matches) {
      const alert = this.book.alerts.get(alertId);
      if (!alert || alert.paused) continue;
      matched.add(alertId);
      const shown = eventArticle(article, snippet);
      const digest = eventDigest(shown);
      const existing = this.book.feeds.get(alertId)?.get(article.id);
      if (existing?.digest === digest) continue;
      const at = new Date(this.now()).toISOString();
      const entry: FeedEntry = { article: shown, published: existing?.published ?? at, updated: at, digest };
      records.push(this.event(existing ? 'alert.update' : 'alert.match', alert, shown, entry, at));
    }
    records.push(...this.retractions(article.id, matched));
    return records;
  }

  /** Retractions of `articleId` from the feeds that hold it, but those of `keep`. */
  retractions(articleId: string, keep: ReadonlySet<string>): AlertRecord[] {
    const records: AlertRecord[] = [];
    for (const alertId of [...(this.book.byArticle.get(articleId) ?? [])]) {
      if (keep.has(alertId)) continue;
      const alert = this.book.alerts.get(alertId);
      const entry = this.book.feeds.get(alertId)?.get(articleId);
      if (!alert || !entry) continue;
      records.push(
        this.event('alert.retract', alert, retractedArticle(entry.article), null, new Date(this.now()).toISOString()),
      );
    }
    return records;
  }

  /** An event record, applied to the book at once (so the next article sees the feed as it now is). */
  private event(
    type: AlertEventType,
    alert: Alert,
    article: EventArticle,
    entry: FeedEntry | null,
    at: string,
  ): AlertRecord {
    const event: AlertEvent = {
      id: `ev_${randomUUID()}`,
      type,
      alertId: alert.id,
      article,
      seq: this.book.lastEventSeq + 1,
      at,
    };
    const record: AlertRecord = { r: 'event', event, entry, queued: alert.webhook !== null && !alert.paused };
    this.book.apply(record);
    this.counts[type]++;
    return record;
  }
}
