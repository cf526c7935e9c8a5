import { WEBHOOK_TIMEOUT_MS } from '../alerts/send-webhook.js';
import { SearchError } from '../errors.js';
import { isConnectionError } from './pg-store.js';

/**
 * Bounds of every wait on the store (ms), so that a lock another session never
 * releases, or a session left in a transaction, fails with an error instead of
 * hanging a node: set on each connection of the pool.
 */
export interface PgAlertsTimeouts {
  /** A statement waiting for a lock (a row another session holds, the alerts' advisory lock): `lock_timeout`. */
  lockMs: number;
  /** Any statement: `statement_timeout` (the client gives up too, a little later, should the server not answer). */
  statementMs: number;
  /**
   * A transaction left idle: `idle_in_transaction_session_timeout`. A delivery
   * keeps its transaction open while its request runs (at most
   * `WEBHOOK_TIMEOUT_MS` to connect and between bytes), so this is well above
   * it; past it the server ends the session and its claim, and another node
   * delivers the event.
   */
  idleInTransactionMs: number;
}

/** The bounds `PgAlerts` sets unless told others: locks 5 s, statements 8 s, an idle transaction 6 webhook timeouts. */
export const PG_ALERTS_TIMEOUTS: PgAlertsTimeouts = {
  lockMs: 5_000,
  statementMs: 8_000,
  idleInTransactionMs: 6 * WEBHOOK_TIMEOUT_MS,
};

/** A failure of PostgreSQL as the project's error: `store_unavailable` when unreachable, else `alerts_write_failed`. */
export function alertStoreError(error: unknown): SearchError {
  if (error instanceof SearchError) return error;
  const message = (error as Error).message ?? String(error);
  if (isConnectionError(error))
    return new SearchError(
      'store_unavailable',
      `The article store (PostgreSQL) cannot be reached (${message}); nothing was changed. Retry shortly.`,
      { cause: error },
    );
  return new SearchError(
    'alerts_write_failed',
    `The alerts could not be read or written in the article store (${message}).`,
    { cause: error },
  );
}

/** A failure as the project's error, saying which bound of `timeouts` a statement ran into. */
export function alertsFailure(error: unknown, timeouts: PgAlertsTimeouts): SearchError {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  if (code === '55P03')
    return new SearchError(
      'alerts_write_failed',
      `The alerts could not be read or written in the article store: a lock was held by another session for more than ${timeouts.lockMs / 1000} s (${message}).`,
      { cause: error },
    );
  if (code === '57014')
    return new SearchError(
      'alerts_write_failed',
      `The alerts could not be read or written in the article store: a statement ran longer than ${timeouts.statementMs / 1000} s (${message}).`,
      { cause: error },
    );
  return alertStoreError(error);
}
