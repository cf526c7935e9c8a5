import cluster, { type Worker } from 'node:cluster';
import { isErrorCode } from '../error-codes.js';
import { SearchError } from '../errors.js';
import type { Alert, DeliveryState, FeedEntry } from './alert.js';
import type { AlertInput, AlertPatch, Alerts, AlertStats, VisibleChange } from './alerts-api.js';

/**
 * Saved searches with several worker processes (`WORKERS` > 1), the way the
 * journal is kept: one process owns them and the others send it their calls.
 * Every worker applies every change, so the alerts cannot be kept by each
 * (each would make and send every event); the primary holds no index after
 * the start, so it cannot match. The primary therefore picks one worker, the
 * first whose archive is live, as the **owner**: it runs the alerts as a
 * single process does (`AlertService`: the log in the journal folder, the
 * matching of the changes it applies, the webhook deliveries), and the
 * primary relays to it every other worker's calls (the alert routes, and the
 * wait of a `PUT` for its events) and sends back the answers. When the owner
 * exits, the primary gives the role to another worker, which opens the log
 * and catches up with the journal as a restarted single process does.
 */

/** Methods of `Alerts` a worker calls on the owner; `flushed` waits until the owner has applied the journal and matched it. */
type Method = 'list' | 'get' | 'entries' | 'deliveryOf' | 'create' | 'update' | 'remove' | 'flushed' | 'stats';

type Call = { type: 'nrs:alerts-call'; ref: number; method: Method; args: unknown[] };
type Reply = {
  type: 'nrs:alerts-reply';
  ref: number;
  value?: unknown;
  error?: { code: string; message: string };
  stats?: AlertStats;
};
/** A worker to the primary: its archive is live (it can own the alerts); the owner: the alerts are open (or failed to). */
type Ready = { type: 'nrs:alerts-ready' };
type Opened = { type: 'nrs:alerts-opened'; error?: { code: string; message: string } };
/**
 * The primary to a worker: it owns the alerts from now on. `firstSeq`: where the
 * journal was when the service started (a first start of the alerts matches the
 * changes after it: the workers took writes before the owner opened them).
 */
type Own = { type: 'nrs:alerts-own'; firstSeq: number };

/** Longest a worker waits for the owner's answer (ms); past it the route answers 503 `alerts_unavailable`. */
export const ALERT_CALL_TIMEOUT_MS = 15_000;
/** Longest the primary keeps a call while no owner has its alerts open (ms): a new owner opens them within it. */
const QUEUE_WAIT_MS = 10_000;
/** A worker reads the owner's counters (for `/metrics` and `/health`) this often (ms). */
const STATS_EVERY_MS = 2_000;

const isMessage = (value: unknown): value is { type: string } =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

const errorOf = (error: unknown) =>
  error instanceof SearchError
    ? { code: error.code, message: error.message }
    : { code: 'internal', message: (error as Error).message ?? String(error) };

const unavailable = (why: string) =>
  new SearchError(
    'alerts_unavailable',
    `The worker that keeps the saved searches ${why}; retry in a few seconds (WORKERS > 1: one worker keeps them).`,
  );

/**
 * In the primary: chooses the owner of the alerts among the workers and relays
 * the others' calls to it. `firstSeq`: the journal's last change before any
 * worker started; `log` tells of each change of owner.
 */
export function relayAlerts(firstSeq: number, log: (line: string) => void): void {
  const ready = new Set<Worker>();
  let owner: Worker | null = null;
  /** The owner's alerts are open (calls go to it); `failed`: they could not be opened (calls answer that). */
  let open = false;
  let failed: { code: string; message: string } | null = null;
  let nextRef = 1;
  /** Calls sent to the owner, by the primary's ref: who asked, with the ref it gave. */
  const inFlight = new Map<number, { from: Worker; ref: number; method: Method }>();
  /** Calls waiting for an owner with open alerts. */
  let queued: { from: Worker; call: Call; at: number }[] = [];

  const answer = (to: Worker, reply: Omit<Reply, 'type'>) => {
    if (to.isConnected()) to.send({ type: 'nrs:alerts-reply', ...reply } satisfies Reply);
  };
  const forward = (from: Worker, call: Call) => {
    if (failed) return answer(from, { ref: call.ref, error: failed });
    if (!owner || !open) {
      queued.push({ from, call, at: Date.now() });
      return;
    }
    const ref = nextRef++;
    inFlight.set(ref, { from, ref: call.ref, method: call.method });
    owner.send({ ...call, ref } satisfies Call);
  };
  const choose = () => {
    if (owner) return;
    const next = [...ready].find((w) => w.isConnected());
    if (!next) return;
    owner = next;
    open = false;
    next.send({ type: 'nrs:alerts-own', firstSeq } satisfies Own);
    log(`worker ${next.process.pid} keeps the saved searches`);
  };
  // Calls that waited too long for an owner are answered 503 (their caller gives up too; none runs late).
  setInterval(() => {
    const now = Date.now();
    const expired = queued.filter((q) => now - q.at >= QUEUE_WAIT_MS);
    if (expired.length === 0) return;
    queued = queued.filter((q) => now - q.at < QUEUE_WAIT_MS);
    const error = errorOf(unavailable('is starting'));
    for (const { from, call } of expired)
      answer(from, call.method === 'flushed' ? { ref: call.ref, value: null } : { ref: call.ref, error });
  }, 1_000).unref();

  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    const m = message as Call | Reply | Ready | Opened;
    if (m.type === 'nrs:alerts-ready') {
      ready.add(worker);
      choose();
    } else if (m.type === 'nrs:alerts-opened') {
      if (worker !== owner) return;
      open = true;
      failed = m.error ?? null;
      for (const { from, call } of queued.splice(0)) forward(from, call);
    } else if (m.type === 'nrs:alerts-call') {
      forward(worker, m);
    } else if (m.type === 'nrs:alerts-reply') {
      const asked = inFlight.get(m.ref);
      if (!asked) return;
      inFlight.delete(m.ref);
      const { type: _type, ref: _ref, ...rest } = m;
      answer(asked.from, { ...rest, ref: asked.ref });
    }
  });
  cluster.on('exit', (worker: Worker) => {
    ready.delete(worker);
    if (worker !== owner) return;
    owner = null;
    open = false;
    log(`worker ${worker.process.pid}, which kept the saved searches, exited; another takes them`);
    // Calls it had not answered: a write's wait ends (the journal holds the write; the next owner matches
    // it when it catches up), any other call fails (it may or may not have been done: the caller retries).
    for (const [ref, asked] of inFlight) {
      inFlight.delete(ref);
      if (asked.method === 'flushed') answer(asked.from, { ref: asked.ref, value: null });
      else answer(asked.from, { ref: asked.ref, error: errorOf(unavailable('exited before answering')) });
    }
    choose();
  });
}

/**
 * In a worker: tells the primary once its archive is live (`ready`), opens
 * the alerts when given them (`open`, which also makes them the ones this
 * worker's routes and archive use) and answers the calls the primary relays
 * to them. `settle` applies the journal up to now (before a `flushed`).
 */
export function serveAlertCalls(options: {
  open: (firstSeq: number) => Promise<Alerts>;
  settle: () => Promise<void>;
  log: (line: string, error?: unknown) => void;
}): { ready: () => void } {
  let alerts: Alerts | null = null;
  let opening = false;
  process.on('message', (message: unknown) => {
    if (!isMessage(message)) return;
    const m = message as Own | Call;
    if (m.type === 'nrs:alerts-own') {
      if (alerts || opening) return;
      opening = true;
      options.open(m.firstSeq).then(
        (opened) => {
          alerts = opened;
          process.send?.({ type: 'nrs:alerts-opened' } satisfies Opened);
        },
        (error: unknown) => {
          options.log('could not open the saved searches', error);
          process.send?.({ type: 'nrs:alerts-opened', error: errorOf(error) } satisfies Opened);
        },
      );
    } else if (m.type === 'nrs:alerts-call') {
      const reply = (body: Omit<Reply, 'type' | 'ref'>) =>
        process.send?.({ type: 'nrs:alerts-reply', ref: m.ref, ...body, stats: alerts?.stats() } satisfies Reply);
      if (!alerts) return reply({ error: errorOf(unavailable('is not open')) });
      run(alerts, m, options.settle).then(
        (value) => reply({ value: value ?? null }),
        (error: unknown) => reply({ error: errorOf(error) }),
      );
    }
  });
  return { ready: () => process.send?.({ type: 'nrs:alerts-ready' } satisfies Ready) };
}

/** Runs one relayed call on the owner's alerts. */
async function run(alerts: Alerts, call: Call, settle: () => Promise<void>): Promise<unknown> {
  const [first, second] = call.args;
  switch (call.method) {
    case 'list':
      return alerts.list();
    case 'get':
      return alerts.get(first as string);
    case 'entries':
      return alerts.entries(first as string);
    case 'deliveryOf':
      return alerts.deliveryOf(first as string);
    case 'create':
      return alerts.create(first as AlertInput);
    case 'update':
      return alerts.update(first as string, second as AlertPatch);
    case 'remove':
      return alerts.remove(first as string);
    case 'flushed':
      await settle();
      return alerts.flushed();
    case 'stats':
      return alerts.stats();
  }
}

const NO_STATS: AlertStats = {
  alerts: 0,
  events: { 'alert.match': 0, 'alert.update': 0, 'alert.retract': 0 },
  deliveries: { success: 0, failure: 0, abandoned: 0 },
  queued: 0,
  queueAgeSeconds: 0,
  matchSeconds: 0,
  matchedArticles: 0,
};

/**
 * In a worker that does not own the alerts: the alerts as the routes use them,
 * each call sent to the owner through the primary. Changes are matched by the
 * owner (which applies them too), so `articlesChanged` does nothing; `flushed`
 * waits until the owner has applied the journal as far as it is now and
 * matched it (a `PUT` answers once its events are durable, as with one
 * process). The counters are the owner's, read every {@link STATS_EVERY_MS}.
 */
export class RemoteAlerts implements Alerts {
  private nextRef = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: unknown) => void; timer: NodeJS.Timeout }
  >();
  private latest: AlertStats = NO_STATS;
  private readonly timer: NodeJS.Timeout;
  private readonly listener = (message: unknown) => {
    if (!isMessage(message) || message.type !== 'nrs:alerts-reply') return;
    const m = message as Reply;
    if (m.stats) this.latest = m.stats;
    const pending = this.waiting.get(m.ref);
    if (!pending) return;
    this.waiting.delete(m.ref);
    clearTimeout(pending.timer);
    if (m.error)
      pending.reject(new SearchError(isErrorCode(m.error.code) ? m.error.code : 'internal', m.error.message));
    else pending.resolve(m.value === null ? undefined : m.value);
  };

  constructor() {
    process.on('message', this.listener);
    this.timer = setInterval(() => void this.call('stats', []).catch(() => {}), STATS_EVERY_MS);
    this.timer.unref();
  }

  get count(): number {
    return this.latest.alerts;
  }

  stats(): AlertStats {
    return this.latest;
  }

  list(): Promise<Alert[]> {
    return this.call('list', []) as Promise<Alert[]>;
  }

  get(id: string): Promise<Alert | undefined> {
    return this.call('get', [id]) as Promise<Alert | undefined>;
  }

  entries(id: string): Promise<FeedEntry[]> {
    return this.call('entries', [id]) as Promise<FeedEntry[]>;
  }

  deliveryOf(id: string): Promise<DeliveryState> {
    return this.call('deliveryOf', [id]) as Promise<DeliveryState>;
  }

  create(input: AlertInput): Promise<Alert> {
    return this.call('create', [input]) as Promise<Alert>;
  }

  async update(id: string, patch: AlertPatch): Promise<Alert | null> {
    return ((await this.call('update', [id, patch])) as Alert | undefined) ?? null;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.call('remove', [id])) === true;
  }

  articlesChanged(_change: VisibleChange): void {}

  /** Waits for the owner to match what the journal holds now; gives up quietly after the call's timeout (the write is in the journal: the owner matches it). */
  async flushed(): Promise<void> {
    await this.call('flushed', []).catch(() => {});
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    process.off('message', this.listener);
    for (const [ref, pending] of this.waiting) {
      this.waiting.delete(ref);
      clearTimeout(pending.timer);
      pending.reject(unavailable('was not reached before this worker stopped'));
    }
  }

  private call(method: Method, args: unknown[]): Promise<unknown> {
    const ref = this.nextRef++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(ref);
        reject(unavailable(`did not answer within ${ALERT_CALL_TIMEOUT_MS / 1000} s`));
      }, ALERT_CALL_TIMEOUT_MS);
      timer.unref();
      this.waiting.set(ref, { resolve, reject, timer });
      process.send?.({ type: 'nrs:alerts-call', ref, method, args } satisfies Call);
    });
  }
}
