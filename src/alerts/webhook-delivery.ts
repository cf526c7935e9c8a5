import type { AlertBook, PendingEvent } from './alert-book.js';
import type { AlertLog } from './alert-log.js';
import { sendWebhook, type SendOutcome } from './send-webhook.js';
import { checkWebhookUrl, type WebhookAllowList } from './webhook-target.js';

/** Retry timing of webhook deliveries, in ms. */
export interface RetryPolicy {
  /** Wait after the first failure; doubled after each further one. Default 1,000. */
  firstDelayMs: number;
  /** Longest wait between two attempts. Default 600,000 (10 minutes). */
  maxDelayMs: number;
  /** An event still failing this long after it was made is given up. Default 172,800,000 (48 h; at least 24 h). */
  giveUpAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 1_000, maxDelayMs: 600_000, giveUpAfterMs: 48 * 3600_000 };

/** Most webhook requests in flight at once (each alert has at most one: its events go in order). */
const MAX_IN_FLIGHT = 16;

/** Counts of delivery outcomes, for the metrics. */
export interface DeliveryCounts {
  success: number;
  failure: number;
  abandoned: number;
}

/** Sends an event's body to a URL; replaceable in tests. */
export type Deliver = (
  url: string,
  body: string,
  secret: string,
  eventId: string,
  allow: WebhookAllowList,
) => Promise<SendOutcome>;

/** The real sender: the URL checked again (DNS answers change) and the request pinned to the checked address. */
export const deliverChecked: Deliver = async (url, body, secret, eventId, allow) => {
  let target;
  try {
    target = await checkWebhookUrl(url, allow);
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  return sendWebhook(target, body, secret, eventId);
};

/**
 * Delivers the outboxes of the alert book: for each alert, its events in order,
 * one at a time (the next only after the previous succeeded or was given up);
 * a failure is retried with exponential backoff ({@link RetryPolicy}). Every
 * outcome is appended to the alert log before the next step, so a success is
 * never sent again and a restart resumes where it stopped (an event whose success
 * was not yet on disk at a crash is sent again: receivers deduplicate by its `id`).
 */
export class WebhookDelivery {
  readonly counts: DeliveryCounts = { success: 0, failure: 0, abandoned: 0 };
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private stopped = false;

  constructor(
    private readonly book: AlertBook,
    private readonly log: AlertLog,
    private readonly options: {
      allow: WebhookAllowList;
      retry: RetryPolicy;
      deliver: Deliver;
      now: () => number;
      onError: (error: unknown) => void;
    },
  ) {}

  /** Starts whatever is due now and sets a timer for the next due attempt. */
  pump(): void {
    if (this.stopped) return;
    const now = this.options.now();
    let next = Infinity;
    for (const alertId of this.book.waiting) {
      const head = this.book.outboxes.get(alertId)?.queue[0];
      if (!head || this.inFlight.has(alertId)) continue;
      if (head.nextAt > now) {
        next = Math.min(next, head.nextAt);
        continue;
      }
      if (this.inFlight.size >= MAX_IN_FLIGHT) break;
      this.inFlight.add(alertId);
      void this.attempt(alertId, head)
        .catch(this.options.onError)
        .finally(() => {
          this.inFlight.delete(alertId);
          this.pump();
        });
    }
    if (next < this.timerAt) {
      if (this.timer) clearTimeout(this.timer);
      this.timerAt = next;
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.timerAt = Infinity;
          this.pump();
        },
        Math.max(0, next - now),
      );
      this.timer.unref();
    }
  }

  /** Oldest undelivered event's age in seconds (0 when none waits). */
  queueAgeSeconds(): number {
    let oldest = Infinity;
    for (const alertId of this.book.waiting) {
      const head = this.book.outboxes.get(alertId)?.queue[0];
      if (head) oldest = Math.min(oldest, Date.parse(head.event.at));
    }
    return oldest === Infinity ? 0 : Math.max(0, (this.options.now() - oldest) / 1000);
  }

  /** Stops starting attempts and waits for those in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.inFlight.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private async attempt(alertId: string, pending: PendingEvent): Promise<void> {
    const alert = this.book.alerts.get(alertId);
    const { event } = pending;
    const at = () => new Date(this.options.now()).toISOString();
    if (!alert?.webhook) {
      await this.record({ r: 'abandon', alertId, eventId: event.id, at: at() });
      this.counts.abandoned++;
      return;
    }
    const body = JSON.stringify({ id: event.id, type: event.type, alertId, article: event.article, at: event.at });
    const outcome = await this.options.deliver(
      alert.webhook.url,
      body,
      alert.webhook.secret,
      event.id,
      this.options.allow,
    );
    if (this.stopped && !outcome.ok) return;
    if (outcome.ok) {
      await this.record({ r: 'sent', alertId, eventId: event.id, at: at() });
      this.counts.success++;
      return;
    }
    this.counts.failure++;
    const now = this.options.now();
    const { firstDelayMs, maxDelayMs, giveUpAfterMs } = this.options.retry;
    if (now - Date.parse(event.at) >= giveUpAfterMs) {
      await this.record({ r: 'abandon', alertId, eventId: event.id, at: at() });
      this.counts.abandoned++;
      return;
    }
    const failures = pending.failures + 1;
    const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(failures - 1, 30));
    await this.record({
      r: 'failed',
      alertId,
      eventId: event.id,
      at: at(),
      failures,
      error: outcome.error.slice(0, 300),
      nextAt: now + delay,
    });
  }

  /** Applies a record to the book and makes it durable. */
  private async record(record: Parameters<AlertBook['apply']>[0]): Promise<void> {
    await this.log.append([record]);
    this.book.apply(record);
  }
}
