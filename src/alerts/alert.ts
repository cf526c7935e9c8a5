/**
 * The shapes of saved searches and what they produce: an alert (a standing
 * query with its delivery settings), the events it emits, and the entries of its feed.
 */

/** What an alert searches for: the query and the filters, as `GET /search` takes them. */
export interface AlertQuery {
  /** The query, in the full query language (1–512 UTF-16 units). */
  q: string;
  /** Inclusive lower bound of the article date, as given (ISO 8601), or null. */
  from: string | null;
  /** Inclusive upper bound of the article date, as given (ISO 8601), or null. */
  to: string | null;
  source: string[];
  section: string[];
  author: string[];
  tag: string[];
}

/** Where an alert's events are POSTed, and the secret their signature is made with. */
export interface AlertWebhook {
  /** An `http:` or `https:` URL (see `checkWebhookUrl`). */
  url: string;
  /** HMAC-SHA256 key of the `X-Signature` header (16–256 characters). */
  secret: string;
}

/** A saved search. */
export interface Alert {
  /** Random id (`al_` + 20 hex digits). */
  id: string;
  /** For people (1–200 characters). */
  name: string;
  query: AlertQuery;
  webhook: AlertWebhook | null;
  /** A paused alert matches nothing and sends nothing; its feed stays readable. */
  paused: boolean;
  /** The secret of its feed URL (`?token=`), 32 hex digits. */
  feedToken: string;
  /** ISO 8601 times. */
  createdAt: string;
  updatedAt: string;
}

/** The kinds of event: a new match, a matching article changed, a matched article withdrawn. */
export type AlertEventType = 'alert.match' | 'alert.update' | 'alert.retract';

/** The article an event is about, as a webhook receives it. */
export interface EventArticle {
  articleId: string;
  title: string;
  date: string | null;
  url?: string;
  /** The matching paragraph's snippet as escaped HTML with `<mark>` highlights ("" for a retraction). */
  snippet: string;
}

/** One event of one alert, as the outbox keeps it and a webhook receives it (`seq` and `at` included). */
export interface AlertEvent {
  /** Unique, for the receiver's idempotency (`ev_` + number + random). */
  id: string;
  type: AlertEventType;
  alertId: string;
  article: EventArticle;
  /** Order of events, across all alerts (grows by one). */
  seq: number;
  /** When it was made, ISO 8601. */
  at: string;
}

/** One article in an alert's feed. */
export interface FeedEntry {
  article: EventArticle;
  /** First matched and last changed, ISO 8601. */
  published: string;
  updated: string;
  /** Digest of what the entry shows: an unchanged article matched again is no update. */
  digest: string;
}

/** Where an alert's webhook deliveries stand, as `GET /alerts/{id}` shows it. */
export interface DeliveryState {
  /** Events not yet delivered. */
  pending: number;
  /** When the last delivery succeeded, ISO 8601, or null. */
  lastSuccess: string | null;
  /** Failed attempts of the event at the head of the queue. */
  failures: number;
  /** The last failure's reason, or null. */
  lastError: string | null;
  /** When the head event is tried next, ISO 8601, or null when nothing waits. */
  nextTry: string | null;
  /** Events given up on after the retry period. */
  abandoned: number;
}
