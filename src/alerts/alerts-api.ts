import type { Article } from '../corpus/article.js';
import type { ArchiveIndex } from '../index/archive-index.js';
import type { Alert, AlertEventType, AlertQuery, AlertWebhook, DeliveryState, FeedEntry } from './alert.js';
import type { DeliveryCounts } from './webhook-delivery.js';

/** A change of what readers see, as the living archive reports it. */
export interface VisibleChange {
  /** Articles that became visible, or changed while visible (a replacement, a correction). */
  published: readonly Article[];
  /** Ids no longer visible (a takedown, a replacement held as a draft or under embargo). */
  withdrawn: readonly string[];
  /** Number of the last journal change it covers, or null (a corpus file, an embargo release). */
  seq: number | null;
  /** The number of each article's own change (put or takedown), when the change came from the journal. */
  seqs?: ReadonlyMap<string, number>;
  /** An index of exactly `published`, when the archive has one at hand (it spares building one per article). */
  index?: ArchiveIndex;
}

/** A new alert as a client gives it (validated by the HTTP layer, but for the query's and URL's deeper checks). */
export interface AlertInput {
  name: string;
  query: AlertQuery;
  webhook: AlertWebhook | null;
  paused?: boolean;
}

/** What `PATCH /alerts/{id}` may change. */
export type AlertPatch = Partial<AlertInput>;

/** Counters and gauges for the metrics. */
export interface AlertStats {
  alerts: number;
  /** Events made, by type. */
  events: Record<AlertEventType, number>;
  deliveries: DeliveryCounts;
  /** Undelivered webhook events, and the oldest one's age (s). */
  queued: number;
  queueAgeSeconds: number;
  /** Time spent matching articles (s) and articles matched. */
  matchSeconds: number;
  matchedArticles: number;
}

/**
 * The saved searches as the routes, the metrics and the living archive use
 * them, whichever keeps them: `AlertService` (one process, its own log) or
 * `SharedAlertService` (the nodes of a PostgreSQL article store). Reads may
 * answer at once or later (a query to the store).
 */
export interface Alerts {
  /** Every alert, oldest first. */
  list(): Alert[] | Promise<Alert[]>;
  get(id: string): Alert | undefined | Promise<Alert | undefined>;
  /** An alert's feed, newest first. */
  entries(id: string): FeedEntry[] | Promise<FeedEntry[]>;
  /** Where an alert's webhook deliveries stand. */
  deliveryOf(id: string): DeliveryState | Promise<DeliveryState>;
  create(input: AlertInput): Promise<Alert>;
  /** Null when unknown. */
  update(id: string, patch: AlertPatch): Promise<Alert | null>;
  /** False when unknown. */
  remove(id: string): Promise<boolean>;
  /** Number of alerts this process matches against (for `/health`). */
  readonly count: number;
  stats(): AlertStats;
  /** Takes a change of what readers see, to match it. */
  articlesChanged(change: VisibleChange): void;
  /** Resolves once every change given so far is matched and its events are durable. */
  flushed(): Promise<void>;
  close(): Promise<void>;
}
