import type { AlertEventType, EventArticle, FeedEntry } from '../alerts/alert.js';

/** An event as a node proposes it: the outbox keeps the first proposal of each (alert, article, change). */
export interface ProposedEvent {
  alertId: string;
  articleId: string;
  /** The store's number of the change that made it (the article's put or takedown). */
  changeSeq: number;
  /** What a webhook receives: `{id, type, alertId, article, at}`. */
  event: { id: string; type: AlertEventType; alertId: string; article: EventArticle; at: string };
  /** The alert's feed entry for the article after it (null: out of the feed). */
  entry: FeedEntry | null;
}

/** The event at the head of an alert's queue, claimed by one node (see `PgAlerts.deliverNext`). */
export interface DueEvent {
  /** The body to POST, as the single process sends it. */
  body: string;
  eventId: string;
  webhook: { url: string; secret: string } | null;
  failures: number;
  /** Milliseconds since the event was made. */
  ageMs: number;
}

/** What became of a claimed event: sent, given up, or tried again after `delayMs`. */
export type DueOutcome =
  | { state: 'sent' }
  | { state: 'abandoned'; error: string }
  | { state: 'pending'; failures: number; delayMs: number; error: string };

/** The body a webhook receives, its keys in the documented order (jsonb keeps its own). */
export function webhookBodyOf(event: ProposedEvent['event']): string {
  const a = event.article;
  const article = {
    articleId: a.articleId,
    title: a.title,
    date: a.date,
    ...(a.url === undefined ? {} : { url: a.url }),
    snippet: a.snippet,
  };
  return JSON.stringify({ id: event.id, type: event.type, alertId: event.alertId, article, at: event.at });
}
