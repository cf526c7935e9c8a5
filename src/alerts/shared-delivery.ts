import type { DueOutcome, PgAlerts } from '../store/pg-alerts.js';
import type { Deliver, DeliveryCounts, RetryPolicy } from './webhook-delivery.js';
import type { WebhookAllowList } from './webhook-target.js';

/** Deliveries one node runs at once (each holds a PostgreSQL connection while its request is in flight). */
export const SHARED_DELIVERY_LOOPS = 4;
/** A node looks for due events at least this often (ms): retries, and events another node made. */
const POLL_MS = 500;

/** Why a claimed event is handed back untouched (the node is stopping: another node or the next start sends it). */
class Stopping extends Error {}

/**
 * Delivers the outbox shared by the nodes of an article store: a few loops,
 * each claiming the head event of some alert (`PgAlerts.deliverNext`: the
 * claim, the request and its outcome are one transaction, so a node that dies
 * mid-delivery only releases the row), sending it, and recording success,
 * a retry with exponential backoff ({@link RetryPolicy}) or abandonment.
 * `pump` wakes the loops at once (this node just made events); otherwise one
 * of them looks every {@link POLL_MS} (a retry now due, another node's event)
 * and wakes the others when it finds work, so an idle node costs PostgreSQL
 * two small transactions a second.
 */
export class SharedDelivery {
  readonly counts: DeliveryCounts = { success: 0, failure: 0, abandoned: 0 };
  private stopped = false;
  private readonly sleepers = new Set<() => void>();
  private loops: Promise<void>[] = [];

  constructor(
    private readonly store: PgAlerts,
    private readonly options: {
      allow: WebhookAllowList;
      retry: RetryPolicy;
      deliver: Deliver;
      onError: (error: unknown) => void;
    },
  ) {}

  /** Starts the loops. */
  start(): void {
    this.loops = Array.from({ length: SHARED_DELIVERY_LOOPS }, (_, i) => this.loop(i === 0));
  }

  /** Wakes the loops (events were just made). */
  pump(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  /** Stops claiming; deliveries in flight end first (a failed one is handed back untouched). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pump();
    await Promise.all(this.loops);
  }

  /** One delivery loop; only the `polling` one looks for due events on its own, the others wait for `pump`. */
  private async loop(polling: boolean): Promise<void> {
    let failing = false;
    while (!this.stopped) {
      let found = false;
      try {
        found = await this.store.deliverNext((due) => this.attempt(due));
        failing = false;
        // Work found by the poller (a retry now due, another node's event): the others help.
        if (found && polling) this.pump();
      } catch (error) {
        const handedBack = error instanceof Stopping || (error as { cause?: unknown }).cause instanceof Stopping;
        if (!handedBack && !failing) this.options.onError(error);
        if (handedBack) continue;
        failing = true;
      }
      if (!found || failing) await this.sleep(polling ? (failing ? POLL_MS * 2 : POLL_MS) : Infinity);
    }
  }

  /**
   * Waits `ms` or until `pump`. Once stopping it returns at once: a loop whose
   * claim was in flight when `stop` woke the sleepers comes here afterwards,
   * and a sleep begun then would never be woken (`stop` would wait forever).
   */
  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = Number.isFinite(ms) ? setTimeout(wake, ms) : undefined;
      timer?.unref();
      this.sleepers.add(wake);
    });
  }

  private async attempt(due: {
    body: string;
    eventId: string;
    webhook: { url: string; secret: string } | null;
    failures: number;
    ageMs: number;
  }): Promise<DueOutcome> {
    if (!due.webhook) {
      this.counts.abandoned++;
      return { state: 'abandoned', error: 'the alert has no webhook' };
    }
    const outcome = await this.options.deliver(
      due.webhook.url,
      due.body,
      due.webhook.secret,
      due.eventId,
      this.options.allow,
    );
    if (outcome.ok) {
      this.counts.success++;
      return { state: 'sent' };
    }
    if (this.stopped) throw new Stopping('stopping');
    this.counts.failure++;
    const error = outcome.error.slice(0, 300);
    const { firstDelayMs, maxDelayMs, giveUpAfterMs } = this.options.retry;
    if (due.ageMs >= giveUpAfterMs) {
      this.counts.abandoned++;
      return { state: 'abandoned', error };
    }
    const failures = due.failures + 1;
    return {
      state: 'pending',
      failures,
      delayMs: Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(failures - 1, 30)),
      error,
    };
  }
}
