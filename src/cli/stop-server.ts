import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ProbeThread } from '../http/probe-thread.js';
import type { OpenAnalytics } from './analytics-setup.js';
import type { OwnerLock } from './owner-lock.js';
import type { ServeState } from './serve-state.js';

/**
 * After a stop signal the server keeps accepting until no connection has come
 * for `quietMs` (at most `maxMs`): Node accepts about one waiting connection a
 * turn of a busy event loop, and closing the listener resets those still in the
 * kernel's backlog, whose requests were already sent.
 */
const SETTLE = { quietMs: 150, maxMs: 2_000 } as const;

/**
 * Drains and stops a serving process: `/health` says `stopping`, requests already
 * sent are read and answered, then the listener and idle connections close (after
 * `shutdownTimeoutS`, those left are cut); then the admin probes, the corpus watch,
 * the store's mirror, the live archive, the alerts, the journal, the versions, the
 * analytics, the store and the lock, in that order.
 */
export async function stopServer(
  s: ServeState,
  server: Server,
  parts: { probes: ProbeThread | null; analytics: OpenAnalytics | null; lock: OwnerLock | null },
): Promise<void> {
  const { probes } = parts;
  s.stopping = true;
  probes?.setStopping();
  await settleConnections(server);
  await new Promise<void>((resolve) => {
    // Stops accepting and closes the connections idle now; each response sent from
    // now on closes its own connection once flushed (see closeWhenStopping).
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), s.settings.shutdownTimeoutS * 1000).unref();
  });
  // The admin port answers until the main listener is drained: probes see "stopping", not a refusal.
  await probes?.close();
  s.watcher?.close();
  await s.node?.mirror.close();
  await s.live?.close();
  await s.alerts?.close();
  s.journal?.close();
  s.versions?.close();
  await parts.analytics?.close();
  await s.node?.store.close();
  parts.lock?.release();
}

/**
 * Keeps accepting and reading a moment: requests sent before the signal, which the
 * busy loop had not read yet, are parsed now (and queued) instead of being reset.
 */
async function settleConnections(server: Server): Promise<void> {
  // Quiet is judged only right after a poll phase (setImmediate runs after it), over two
  // turns: after a long search, timers run before the loop has accepted anything, and a
  // connection accepted in one turn has its request read in the next.
  let lastConnection = performance.now();
  let turnsSince = 0;
  const seen = () => {
    lastConnection = performance.now();
    turnsSince = 0;
  };
  server.on('connection', seen);
  const started = performance.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    await new Promise((resolve) => setImmediate(resolve));
    turnsSince++;
    const quiet = turnsSince >= 2 && performance.now() - lastConnection >= SETTLE.quietMs;
    if (quiet || performance.now() - started >= SETTLE.maxMs) break;
  }
  server.off('connection', seen);
}
