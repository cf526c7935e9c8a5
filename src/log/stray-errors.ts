/**
 * Errors that reached the process's last resort (`uncaughtException`) and that
 * it survived: a lost connection's `'error'` event nobody listened for (a
 * PostgreSQL restart, a peer resetting a socket). Counted, so that `/metrics`
 * shows them (`newsroom_search_stray_errors_total`) instead of hiding them.
 */
let count = 0;

/** Counts one survived stray error. */
export function recordStrayError(): void {
  count++;
}

/** Stray errors survived since the process started. */
export function strayErrorCount(): number {
  return count;
}
