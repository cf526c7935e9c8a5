import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { open as openAsync, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { SearchError } from '../errors.js';
import { syncFolder } from '../index/segments/atomic-file.js';
import type { Alert, AlertEvent, FeedEntry } from './alert.js';

/** The log file in the alerts folder. */
export const ALERT_LOG_FILE = 'alerts.ndjson';
const FORMAT = 1;

/** One change of the alerts' state, as a line of the log. */
export type AlertRecord =
  /** An alert created or changed (the whole alert). */
  | { r: 'alert'; alert: Alert }
  /** An alert deleted (its feed and queued events with it). */
  | { r: 'drop'; id: string }
  /** An event: its feed entry set (null: removed), and queued for the webhook when `queued`. */
  | { r: 'event'; event: AlertEvent; entry: FeedEntry | null; queued: boolean }
  /** A webhook delivery of an event succeeded (it is never sent again). */
  | { r: 'sent'; alertId: string; eventId: string; at: string }
  /** A delivery failed: the count of failures so far, why, and when it is tried next (ms since the epoch). */
  | { r: 'failed'; alertId: string; eventId: string; at: string; failures: number; error: string; nextAt: number }
  /** An event given up on after the retry period. */
  | { r: 'abandon'; alertId: string; eventId: string; at: string }
  /**
   * A delivered event (sent, or given up) kept for the retention period, as a
   * rewritten log holds it: for the record only (its feed entry and queue are
   * the state's, written before it).
   */
  | { r: 'delivered'; event: AlertEvent; at: string; outcome: 'sent' | 'abandoned' }
  /** The journal of writes was matched up to this change number, at this time (ISO 8601). */
  | { r: 'matched'; seq: number; at?: string };

/**
 * The durable state of the alerts — saved searches, their feeds and their
 * webhook outbox — as an append-only file of JSON lines after a header line,
 * like the journal of writes: `append` resolves once the lines are fsynced
 * (appends arriving during an fsync share the next one), so an event that was
 * appended survives `kill -9`. A torn last line (a crash mid-write) is cut off
 * at open. `open` replays the records; `rewrite` replaces the file by a shorter
 * one holding the same state (written aside, fsynced, renamed).
 */
export class AlertLog {
  private handle: FileHandle | null = null;
  private size: number;
  private queue: { text: string; count: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private writing = false;
  /** A rewrite is under way: appends wait in the queue, written to the new file after it. */
  private holding = false;
  /** The last rewrite asked for (they run one after another). */
  private rewriting: Promise<void> = Promise.resolve();
  private closed = false;
  /** Records in the file (for deciding when to rewrite it). */
  records = 0;

  private constructor(
    readonly file: string,
    size: number,
  ) {
    this.size = size;
  }

  /** Opens (creating) the log of `dir`, calling `replay` with each record in order. */
  static open(dir: string, replay: (record: AlertRecord) => void): AlertLog {
    const file = path.join(dir, ALERT_LOG_FILE);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      writeWhole(file, [`${JSON.stringify({ alerts: FORMAT })}\n`]);
    }
    const text = readFileSync(file, 'utf8');
    const firstNewline = text.indexOf('\n');
    try {
      const header = JSON.parse(text.slice(0, firstNewline)) as { alerts?: unknown };
      if (header.alerts !== FORMAT) throw new Error('bad header');
    } catch {
      throw new SearchError(
        'alerts_unreadable',
        `the alerts log ${ALERT_LOG_FILE} does not start with its header; move it aside to start a new one`,
      );
    }
    let at = firstNewline + 1;
    let records = 0;
    for (let newline = text.indexOf('\n', at); newline >= 0; newline = text.indexOf('\n', at)) {
      let record: AlertRecord;
      try {
        record = JSON.parse(text.slice(at, newline)) as AlertRecord;
      } catch {
        break; // A torn or garbled tail: cut below.
      }
      replay(record);
      records++;
      at = newline + 1;
    }
    const size = Buffer.byteLength(text.slice(0, at), 'utf8');
    const log = new AlertLog(file, size);
    log.records = records;
    if (size < Buffer.byteLength(text, 'utf8')) {
      const fd = openSync(file, 'r+');
      try {
        ftruncateSync(fd, size);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    return log;
  }

  /** Appends records; resolves once they are on disk (fsynced). */
  append(records: readonly AlertRecord[]): Promise<void> {
    const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    this.records += records.length;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ text, count: records.length, resolve, reject });
      void this.writeQueued();
    });
  }

  /** Resolves once every append so far is on disk. */
  flushed(): Promise<void> {
    return this.append([]);
  }

  /**
   * Replaces the file, atomically, by one holding `state()`: the records that
   * rebuild the state as it is when called (at open, or while the service
   * runs). Appends made meanwhile wait and go to the new file after it, in
   * their order; some of them may be in that state already (an event is
   * applied before its record is appended): replaying a record twice must
   * leave the state as once (see `AlertBook.apply`).
   */
  rewrite(state: () => readonly AlertRecord[]): Promise<void> {
    // One at a time: a rewrite starting while another writes the queue would rename over a file being written.
    const done = this.rewriting.then(() => this.rewriteNow(state));
    this.rewriting = done.catch(() => {});
    return done;
  }

  private async rewriteNow(state: () => readonly AlertRecord[]): Promise<void> {
    this.holding = true;
    try {
      while (this.writing) await new Promise((resolve) => setImmediate(resolve));
      await this.handle?.close();
      this.handle = null;
      // Nothing is written now, and every record on disk is applied (their appends resolved before this turn).
      const records = state();
      const lines = [`${JSON.stringify({ alerts: FORMAT })}\n`, ...records.map((r) => `${JSON.stringify(r)}\n`)];
      writeWhole(this.file, lines);
      this.size = lines.reduce((n, line) => n + Buffer.byteLength(line, 'utf8'), 0);
      this.records = records.length + this.queue.reduce((n, b) => n + b.count, 0);
    } finally {
      this.holding = false;
      void this.writeQueued();
    }
  }

  async close(): Promise<void> {
    await this.flushed();
    this.closed = true;
    await this.handle?.close();
    this.handle = null;
  }

  private async writeQueued(): Promise<void> {
    if (this.writing || this.holding || this.queue.length === 0) return;
    if (this.closed) {
      for (const b of this.queue.splice(0))
        b.reject(new SearchError('alerts_write_failed', 'The alerts log is closed.'));
      return;
    }
    this.writing = true;
    const batch = this.queue;
    this.queue = [];
    const bytes = Buffer.from(batch.map((b) => b.text).join(''), 'utf8');
    const start = this.size;
    try {
      if (bytes.length > 0) {
        this.handle ??= await openAsync(this.file, 'r+');
        let done = 0;
        while (done < bytes.length)
          done += (await this.handle.write(bytes, done, bytes.length - done, start + done)).bytesWritten;
        await this.handle.datasync();
        this.size = start + bytes.length;
      }
      for (const b of batch) b.resolve();
    } catch (error) {
      try {
        await this.handle?.truncate(start);
      } catch {
        // The next open cuts a torn tail anyway.
      }
      const failure = new SearchError(
        'alerts_write_failed',
        `The alerts log could not be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
        { cause: error },
      );
      for (const b of batch) b.reject(failure);
    } finally {
      this.writing = false;
    }
    void this.writeQueued();
  }
}

/** Writes `lines` to `file` aside, fsyncs, renames over it and syncs the folder. */
function writeWhole(file: string, lines: readonly string[]): void {
  const temporary = `${file}.new`;
  const fd = openSync(temporary, 'w');
  try {
    for (const line of lines) writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
  syncFolder(path.dirname(file));
}
