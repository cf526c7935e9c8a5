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
  private queue: { text: string; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private writing = false;
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
      this.queue.push({ text, resolve, reject });
      void this.writeQueued();
    });
  }

  /** Resolves once every append so far is on disk. */
  flushed(): Promise<void> {
    return this.append([]);
  }

  /** Replaces the file by one holding `records` (the current state), atomically; waits for pending appends first. */
  async rewrite(records: readonly AlertRecord[]): Promise<void> {
    await this.flushed();
    while (this.writing) await new Promise((resolve) => setImmediate(resolve));
    await this.handle?.close();
    this.handle = null;
    const lines = [`${JSON.stringify({ alerts: FORMAT })}\n`, ...records.map((r) => `${JSON.stringify(r)}\n`)];
    writeWhole(this.file, lines);
    this.size = lines.reduce((n, line) => n + Buffer.byteLength(line, 'utf8'), 0);
    this.records = records.length;
  }

  async close(): Promise<void> {
    await this.flushed();
    this.closed = true;
    await this.handle?.close();
    this.handle = null;
  }

  private async writeQueued(): Promise<void> {
    if (this.writing || this.queue.length === 0) return;
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
