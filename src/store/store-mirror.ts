import type pg from 'pg';
import { pgDriver } from './pg-driver.js';
import type { Journal } from '../live/journal.js';
import type { VersionHistory } from '../live/version-history.js';
import { CHANGES_CHANNEL, type PgStore } from './pg-store.js';

/** Changes fetched per query while catching up. */
export const FETCH_BATCH = 2_000;
/** The change table is read this often (ms) even without a notification: a missed NOTIFY loses nothing. */
export const POLL_MS = 1_000;
/** A lost LISTEN connection is tried again this often (ms). */
const RECONNECT_MS = 1_000;

/** What a node knows of its distance to the store (see `StoreMirror.lag`). */
export interface StoreLag {
  /** Last change applied by this node's index. */
  applied: number;
  /** Last change the store had when last asked. */
  store: number;
  /**
   * Seconds since this node last knew it held every change (a fetch reached the
   * store's last change, and the index had applied it); null: never.
   */
  lagSeconds: number | null;
  /** The last query to PostgreSQL succeeded. */
  connected: boolean;
}

/**
 * Why a node should get no traffic, or null: it never caught up with the
 * store, or it is more than `maxLagS` seconds behind. Null without a store
 * (`lag` null: no store, or the index still loading, which `/health` says itself).
 */
export function lagProblem(lag: StoreLag | null, maxLagS: number): string | null {
  if (!lag) return null;
  if (lag.lagSeconds === null) return 'this node has not caught up with the article store yet';
  return lag.lagSeconds > maxLagS
    ? `this node is ${lag.lagSeconds.toFixed(1)} s behind the article store (more than MAX_LAG_S=${maxLagS})`
    : null;
}

/**
 * Mirrors an article store's change feed into this node's own journal: fetches
 * the changes after the journal's last one (all of them for a new node),
 * appends them with the store's numbers, then calls `apply` (the live archive's
 * `syncJournal`). Woken by `LISTEN` and by a poll every {@link POLL_MS}: the
 * change table is the truth, so a missed notification, a reconnect or a node
 * down for a day loses nothing. Fetches run one at a time.
 *
 * With `versions`, the store's earlier versions of articles are copied too,
 * into this node's version file, each batch's before its changes: a node
 * that shows a change lists the version it replaced.
 */
export class StoreMirror {
  /** Last change the store had when last asked. */
  storeSeq = 0;
  connected = false;
  /** When (ms since the epoch) the node last held everything the store had, or null. */
  private currentAsOf: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private listener: pg.Client | null = null;
  private closed = false;
  private apply: () => Promise<number> = async () => this.journal.lastSeq;
  private readonly waiters: { seq: number; resolve: () => void }[] = [];
  /** The store's versions are copied up to this change (0: not yet asked, at this process's first fetch). */
  private versionsCopiedTo = 0;

  constructor(
    private readonly store: PgStore,
    private readonly journal: Journal,
    private readonly log: (line: string) => void = () => {},
    private readonly now: () => number = Date.now,
    private readonly versions: VersionHistory | null = null,
  ) {}

  /**
   * Fetches every change the journal lacks (at a node's start, before the index
   * opens). Rejects when the store cannot be reached.
   */
  async catchUp(): Promise<number> {
    const started = this.now();
    let fetched = 0;
    for (;;) {
      const records = await this.store.changesAfter(this.journal.lastSeq, FETCH_BATCH);
      this.connected = true;
      await this.copyVersions(records.at(-1)?.seq ?? this.journal.lastSeq);
      if (records.length) await this.journal.appendRecords(records);
      fetched += records.length;
      this.storeSeq = Math.max(this.storeSeq, this.journal.lastSeq);
      if (records.length < FETCH_BATCH) break;
    }
    const applied = await this.apply();
    if (applied >= this.storeSeq) this.currentAsOf = started;
    this.wake();
    return fetched;
  }

  /**
   * Starts following: `apply` makes the journal's new records searchable and
   * returns the last change applied. Listens for notifications and polls.
   */
  follow(apply: () => Promise<number>): void {
    this.apply = apply;
    this.timer = setInterval(() => this.pull(), POLL_MS);
    this.timer.unref();
    void this.listen();
    this.pull();
  }

  /** Fetches now (or right after the fetch running now). */
  pull(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.catchUp()
      .then(() => {})
      .catch((error: unknown) => {
        if (this.connected)
          this.log(`article store unreachable (${(error as Error).message}); serving what this node has`);
        this.connected = false;
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.pull();
        }
      });
  }

  /** Resolves once this node's journal holds change `seq` (fetching at once). */
  waitFor(seq: number): Promise<void> {
    if (this.journal.lastSeq >= seq) return Promise.resolve();
    const wait = new Promise<void>((resolve) => this.waiters.push({ seq, resolve }));
    this.pull();
    return wait;
  }

  /** This node's distance to the store, for `/health` and `/metrics`. */
  lag(applied: number): StoreLag {
    const seconds = this.currentAsOf === null ? null : Math.max(0, (this.now() - this.currentAsOf) / 1000);
    return {
      applied,
      store: Math.max(this.storeSeq, applied),
      lagSeconds: seconds === null ? null : Math.round(seconds * 1000) / 1000,
      connected: this.connected,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.listener?.end().catch(() => {});
    this.listener = null;
  }

  /**
   * Copies the store's versions kept by changes up to `upTo` that this node's
   * file lacks (all of them after the file was started anew), before the
   * changes themselves reach the journal.
   */
  private async copyVersions(upTo: number): Promise<void> {
    const versions = this.versions;
    if (!versions || upTo <= this.versionsCopiedTo) return;
    if (upTo > versions.lastSeq)
      await versions.appendMirrored(await this.store.versionsBetween(versions.lastSeq, upTo));
    this.versionsCopiedTo = upTo;
  }

  private wake(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i]!;
      if (this.journal.lastSeq >= waiter.seq) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** Keeps one connection listening on the change channel, reconnecting after a loss. */
  private async listen(): Promise<void> {
    while (!this.closed) {
      const client = new (pgDriver().Client)({ connectionString: this.store.url, connectionTimeoutMillis: 2_000 });
      const lost = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
      });
      try {
        await client.connect();
        client.on('notification', () => this.pull());
        await client.query(`LISTEN ${CHANGES_CHANNEL}`);
        this.listener = client;
        // Changes committed while this connection was down are fetched now.
        this.pull();
        await lost;
      } catch {
        await client.end().catch(() => {});
      }
      this.listener = null;
      if (!this.closed) await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS).unref());
    }
  }
}
