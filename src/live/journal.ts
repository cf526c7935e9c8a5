import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fstatSync, ftruncateSync, fsyncSync, openSync, readSync } from 'node:fs';
import { open as openAsync, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../corpus/article.js';
import { SearchError } from '../errors.js';
import type { ArticleOverrides } from '../index/article-overrides.js';
import { IdempotencyMemo, type IdempotentWrite } from './idempotency.js';
import {
  createJournalFile,
  JOURNAL_FILE,
  journalWriteError,
  readJournalHeader,
  writeCompactedJournal,
} from './journal-file.js';
import { isGated, type JournalChange, type JournalRecord, replayOf } from './journal-record.js';

export { JOURNAL_FILE } from './journal-file.js';
export type { JournalChange, JournalRecord } from './journal-record.js';

/** The latest record of one id, and where its line is. */
interface Entry {
  seq: number;
  op: 'put' | 'delete';
  /** A put of a draft or embargoed article. */
  gated: boolean;
  offset: number;
  length: number;
}

/**
 * The archive's own writes — articles created or replaced through the API,
 * and takedowns — as an append-only file of JSON lines in a folder outside the
 * index cache: `{"seq","at","op":"put","id","article"}` or `{"seq","at","op":"delete","id","reason"}`,
 * after a header line naming the journal's `epoch` (a random id: a commit of
 * the index cache that applied another journal's records is stale).
 *
 * `append` returns once the lines are written and fsynced (group commit: writes
 * arriving while one fsync runs share the next). A torn last line (a crash
 * mid-write) is cut off when a writer opens the journal. Readers in other
 * processes follow the file with `catchUp()`. The latest record of each id is
 * indexed in memory (its offset); article bodies stay in the file.
 */
export class Journal implements ArticleOverrides {
  /** Sequence number of the last durable record (0: none). */
  lastSeq = 0;
  private readonly entries = new Map<string, Entry>();
  /** Bytes read (or written) so far: complete lines only. */
  private size = 0;
  private fd: number;
  private handle: FileHandle | null = null;
  private nextSeq = 1;
  /** Articles this process appended and has not applied yet, by id (see `forget`). */
  private readonly fresh = new Map<string, { seq: number; article: Article }>();
  /** (seq, id) of every record read or written, in file order. */
  private order: { seq: number; id: string }[] = [];
  /** Records in the file (superseded ones included). */
  private records = 0;
  private queue: {
    lines: { id: string; seq: number; op: 'put' | 'delete'; gated: boolean; text: string }[];
    /** The records kept in memory (see `append`'s `keep`), and all of them. */
    records: JournalRecord[];
    written: JournalRecord[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  private writing = false;
  /** Keys of the writes of the last 24 h, and those being written now (their records once durable). */
  private readonly memo = new IdempotencyMemo();
  private readonly pending = new Map<string, Promise<JournalRecord>>();

  private constructor(
    readonly file: string,
    readonly epoch: string,
    readonly writable: boolean,
    fd: number,
    headerBytes: number,
  ) {
    this.fd = fd;
    this.size = headerBytes;
  }

  /**
   * Opens the journal of `dir`. A writer creates it when absent (and cuts off a
   * torn last line); a reader of a folder without one sees an empty journal.
   * `compact`: a writer rewrites the file with only the latest record of each
   * id when more than half its records are superseded (keeping their numbers).
   * `epoch`: the epoch a new journal gets (default: a random id), e.g. the id
   * of the article store a node mirrors.
   */
  static open(dir: string, options: { write: boolean; compact?: boolean; epoch?: string }): Journal {
    const file = path.join(dir, JOURNAL_FILE);
    if (!existsSync(file)) {
      if (!options.write) return new Journal(file, '', false, -1, 0);
      createJournalFile(dir, file, options.epoch ?? randomUUID());
    }
    const fd = openSync(file, options.write ? 'r+' : 'r');
    const { epoch, next } = readJournalHeader(fd, file);
    const journal = new Journal(file, epoch, options.write, fd, next);
    const torn = journal.readNew();
    if (options.write && torn) {
      ftruncateSync(fd, journal.size);
      fsyncSync(fd);
    }
    if (
      options.write &&
      options.compact &&
      journal.records - journal.entries.size > Math.max(1000, journal.entries.size)
    )
      journal.compact();
    return journal;
  }

  /** Ids with a record, each with its latest operation (in the order of their latest records). */
  ids(): { id: string; op: 'put' | 'delete'; seq: number }[] {
    return [...this.entries].map(([id, e]) => ({ id, op: e.op, seq: e.seq })).sort((a, b) => a.seq - b.seq);
  }

  decides(id: string): boolean {
    return this.entries.has(id);
  }

  gatedIds(): string[] {
    return [...this.entries].filter(([, e]) => e.gated).map(([id]) => id);
  }

  articleOf(id: string): Article | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    const fresh = this.fresh.get(id);
    if (fresh && fresh.seq === entry.seq) return fresh.article;
    const record = this.latest(id);
    return record?.op === 'put' ? record.article : null;
  }

  /** Forgets the articles of ids this process wrote (kept so applying them does not read them back). */
  forget(ids: Iterable<string>): void {
    for (const id of ids) this.fresh.delete(id);
  }

  putIds(): string[] {
    return this.ids()
      .filter((e) => e.op === 'put')
      .map((e) => e.id);
  }

  /** The number of the latest record of `id`, if any. */
  seqOf(id: string): number | undefined {
    return this.entries.get(id)?.seq;
  }

  /** The latest operation recorded for `id`, if any. */
  opOf(id: string): 'put' | 'delete' | undefined {
    return this.entries.get(id)?.op;
  }

  /** Ids whose latest record is newer than `seq` (from the end of the log back). */
  changedSince(seq: number): string[] {
    const ids = new Set<string>();
    for (let i = this.order.length - 1; i >= 0 && this.order[i]!.seq > seq; i--) ids.add(this.order[i]!.id);
    return [...ids].filter((id) => this.entries.get(id)!.seq > seq).reverse();
  }

  changesAfter(seq: number, limit: number): { ids: string[]; upTo: number } {
    // The first record after `seq` (records are in number order).
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    const ids = new Set<string>();
    let upTo = seq;
    for (let i = lo; i < this.order.length; i++) {
      const { seq: s, id } = this.order[i]!;
      if (!ids.has(id) && ids.size >= limit) break;
      ids.add(id);
      upTo = s;
    }
    return { ids: [...ids], upTo };
  }

  /** The latest record of `id`, read from the file. */
  latest(id: string): JournalRecord | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const buffer = Buffer.alloc(entry.length);
    readSync(this.fd, buffer, 0, entry.length, entry.offset);
    return JSON.parse(buffer.toString('utf8')) as JournalRecord;
  }

  /**
   * Appends changes and resolves once they are on disk (fsynced), with their
   * records. `keep` (default true): their articles stay in memory until `forget`
   * (this process applies them next); false for a process that does not. Rejects with `disk_full` / `journal_write_failed` when the write
   * fails; the journal is then as it was.
   */
  append(changes: readonly JournalChange[], options: { keep?: boolean } = {}): Promise<JournalRecord[]> {
    if (!this.writable) throw new Error('this journal was opened read-only');
    const at = new Date().toISOString();
    // A change whose idempotency key an earlier write carried is not written again: its
    // answer is that write's record (awaited while it is still being written).
    const records: JournalRecord[] = [];
    const results: (JournalRecord | Promise<JournalRecord>)[] = [];
    for (const change of changes) {
      const key = change.idem?.key;
      const earlier =
        key === undefined ? undefined : (this.pending.get(key) ?? replayOf(change, this.memo.recall(key)));
      if (earlier) {
        results.push(earlier);
        continue;
      }
      const record = { seq: this.nextSeq++, at, ...change } as JournalRecord;
      records.push(record);
      results.push(record);
    }
    const written = this.enqueue(records, options.keep ?? true);
    for (const record of records) {
      if (!record.idem) continue;
      const key = record.idem.key;
      const durable = written.then(() => record);
      durable.catch(() => {});
      this.pending.set(key, durable);
      const settle = () => {
        if (this.pending.get(key) === durable) this.pending.delete(key);
      };
      durable.then(settle, settle);
    }
    return written.then(() => Promise.all(results));
  }

  /** The write of the last 24 h that carried idempotency key `key`, if any. */
  recall(key: string): IdempotentWrite | undefined {
    return this.memo.recall(key);
  }

  /**
   * Appends records numbered elsewhere (a node mirroring an article store's
   * change feed), keeping their `seq` and `at`; numbers must grow past
   * `lastSeq` (older ones are skipped: already here). Resolves once fsynced,
   * with the records appended.
   */
  appendRecords(given: readonly JournalRecord[], options: { keep?: boolean } = {}): Promise<JournalRecord[]> {
    if (!this.writable) throw new Error('this journal was opened read-only');
    const records: JournalRecord[] = [];
    for (const record of given) {
      if (record.seq < this.nextSeq) continue;
      records.push(record);
      this.nextSeq = record.seq + 1;
    }
    const first = records[0];
    return this.enqueue(records, options.keep ?? false).catch((error: unknown) => {
      // Not written: the same records may be given again.
      if (first) this.nextSeq = Math.min(this.nextSeq, first.seq);
      throw error;
    });
  }

  private enqueue(records: JournalRecord[], keep: boolean): Promise<JournalRecord[]> {
    if (records.length === 0) return Promise.resolve(records);
    const lines = records.map((r) => ({
      id: r.id,
      seq: r.seq,
      op: r.op,
      gated: isGated(r),
      text: `${JSON.stringify(r)}\n`,
    }));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ lines, records: keep ? records : [], written: records, resolve, reject });
      void this.writeQueued();
    }).then(() => records);
  }

  /** Reads records other processes appended since the last read; returns the ids they touched. */
  catchUp(): string[] {
    if (this.fd < 0) {
      if (!existsSync(this.file)) return [];
      throw new SearchError(
        'journal_changed',
        `a journal appeared at ${this.file} after the start; restart to read it`,
      );
    }
    const before = this.lastSeq;
    this.readNew();
    return before === this.lastSeq ? [] : this.changedSince(before);
  }

  close(): void {
    void this.handle?.close();
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private async writeQueued(): Promise<void> {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    const batch = this.queue;
    this.queue = [];
    const start = this.size;
    const texts = batch.flatMap((b) => b.lines.map((l) => l.text));
    const bytes = Buffer.from(texts.join(''), 'utf8');
    try {
      this.handle ??= await openAsync(this.file, 'r+');
      let done = 0;
      while (done < bytes.length)
        done += (await this.handle.write(bytes, done, bytes.length - done, start + done)).bytesWritten;
      await this.handle.datasync();
      let offset = start;
      for (const { lines, records, written } of batch) {
        for (const record of records)
          if (record.op === 'put') this.fresh.set(record.id, { seq: record.seq, article: record.article });
        for (const record of written) this.memo.remember(record);
        for (const line of lines) {
          const length = Buffer.byteLength(line.text) - 1;
          this.entries.set(line.id, { seq: line.seq, op: line.op, gated: line.gated, offset, length });
          offset += length + 1;
          this.lastSeq = Math.max(this.lastSeq, line.seq);
          this.order.push({ seq: line.seq, id: line.id });
          this.records++;
        }
      }
      this.size = start + bytes.length;
      for (const b of batch) b.resolve();
    } catch (error) {
      // Nothing of a failed batch counts: cut back what may have been written.
      try {
        await this.handle?.truncate(start);
      } catch {
        // The next open cuts a torn tail anyway.
      }
      const failure = journalWriteError(error);
      for (const b of batch) b.reject(failure);
    } finally {
      this.writing = false;
    }
    void this.writeQueued();
  }

  /** Reads complete lines past `size` (in 1 MB chunks); true when a partial or unreadable last line was left. */
  private readNew(): boolean {
    const total = fstatSync(this.fd).size;
    let carry = Buffer.alloc(0);
    let carryAt = this.size;
    const chunk = Buffer.alloc(1 << 20);
    for (let at = this.size; at < total; ) {
      const n = readSync(this.fd, chunk, 0, Math.min(chunk.length, total - at), at);
      if (n === 0) break;
      at += n;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let from = 0;
      for (let newline = data.indexOf(10); newline >= 0; newline = data.indexOf(10, from)) {
        const offset = carryAt + from;
        let record: JournalRecord;
        try {
          record = JSON.parse(data.toString('utf8', from, newline)) as JournalRecord;
        } catch {
          return true;
        }
        if (
          typeof record.seq === 'number' &&
          typeof record.id === 'string' &&
          (record.op === 'put' || record.op === 'delete')
        ) {
          this.entries.set(record.id, {
            seq: record.seq,
            op: record.op,
            gated: isGated(record),
            offset,
            length: newline - from,
          });
          this.memo.remember(record);
          this.lastSeq = Math.max(this.lastSeq, record.seq);
          this.order.push({ seq: record.seq, id: record.id });
          this.records++;
        }
        from = newline + 1;
        this.size = carryAt + from;
      }
      carry = Buffer.from(data.subarray(from));
      carryAt += from;
    }
    this.nextSeq = Math.max(this.nextSeq, this.lastSeq + 1);
    return this.size < total;
  }

  /** Rewrites the file with the latest record of each id (same epoch and numbers), atomically. */
  private compact(): void {
    const ids = this.ids();
    const kept = ids.map(({ id }) => this.entries.get(id)!);
    const { offsets, size } = writeCompactedJournal(this.file, this.epoch, this.fd, kept);
    closeSync(this.fd);
    this.fd = openSync(this.file, 'r+');
    this.size = size;
    this.records = ids.length;
    this.order = ids.map(({ seq, id }) => ({ seq, id }));
    ids.forEach(({ id }, i) => this.entries.set(id, { ...kept[i]!, offset: offsets[i]! }));
  }
}
