import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Article } from '../corpus/article.js';
import { journalWriteError } from './journal-file.js';

/** The version file in the journal folder. */
export const VERSIONS_FILE = 'versions.ndjson';
const FORMAT = 1;
/** Versions kept per history by default (`MAX_VERSIONS`), the current one included. */
export const DEFAULT_MAX_VERSIONS = 50;

/** An earlier version of an article: what it was, and when it stopped being current (ISO 8601). */
export interface StoredVersion {
  /** 1 for the first version of its history; numbers are never reused within a history. */
  version: number;
  /** When this version became current (ISO 8601), or null when unknown (the first version of a corpus file's article). */
  since: string | null;
  /** When it was replaced (or taken down). */
  until: string;
  article: Article;
}

/** One history of an id: its versions from a first write (or the corpus) to a takedown, or to now. */
export interface History {
  /** The earlier versions still kept (the oldest are forgotten past `maxVersions`), oldest first. */
  versions: StoredVersion[];
  /** Versions forgotten from the start of the history. */
  forgotten: number;
  /** When the history ended with a takedown (ISO 8601), or null for the current history. */
  takenDownAt: string | null;
}

/** `seq`: the number of the article store's change that wrote it (a node's copy of the store's versions). */
type VersionRecord = (
  | { kind: 'version'; id: string; at: string; since: string | null; article: Article }
  | { kind: 'takedown'; id: string; at: string }
) & { seq?: number };

/** An earlier version as an article store gives it (see `appendMirrored`). */
export interface MirroredVersion {
  /** The number of the store's change that replaced it (or took it down). */
  seq: number;
  id: string;
  /** The article as it was. */
  article: Article;
  /** When it became current (ISO 8601), or null when unknown. */
  since: string | null;
  /** When the change replaced it (ISO 8601). */
  at: string;
  /** The change was a takedown: it ended the id's history. */
  takedown: boolean;
}

/**
 * Every earlier version of the archive's articles, kept durably beside the
 * journal as an append-only file of JSON lines (`versions.ndjson`): a
 * `version` line holds an article as it was just before a change replaced it
 * (a `PUT`, a line of a bulk import, or a changed corpus file), a `takedown`
 * line ends the id's history (the version taken down is written just before
 * it). The current version is the index's; these are the ones before it.
 *
 * A writer appends and fsyncs before the change itself is made, so a version
 * is never lost to a crash (at worst a version equal to the current one is
 * kept, which listings skip). Readers in other processes (cluster workers)
 * read the lines appended since their last look before each answer. A node
 * following a PostgreSQL article store holds here its copy of the store's
 * versions (`appendMirrored`, with the store's numbers and times). Held in
 * memory: every version of every history (articles included: corrections are
 * few beside the archive).
 */
export class VersionHistory {
  private readonly histories = new Map<string, History[]>();
  private size = 0;
  /** The article store whose versions this file copies (its id), or null for a file of this node's own. */
  epoch: string | null = null;
  /** The number of the last store change whose versions this file holds (0: none). */
  lastSeq = 0;
  private fd: number;

  private constructor(
    readonly file: string,
    readonly writable: boolean,
    /** Versions kept per history, the current one included; past it the oldest are forgotten. */
    readonly maxVersions: number,
  ) {
    this.fd = existsSync(file) ? openSync(file, writable ? 'r+' : 'r') : -1;
    if (this.fd >= 0) this.readNew();
  }

  /**
   * Opens the version file of `dir` (created on the first write when `write`;
   * a reader of a folder without one sees no versions).
   */
  static open(dir: string, options: { write: boolean; maxVersions?: number; epoch?: string }): VersionHistory {
    const file = path.join(dir, VERSIONS_FILE);
    if (options.write && !existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const fd = openSync(file, 'a');
      writeSync(fd, `${JSON.stringify({ versions: FORMAT, ...(options.epoch ? { epoch: options.epoch } : {}) })}\n`);
      fsyncSync(fd);
      closeSync(fd);
    }
    return new VersionHistory(file, options.write, options.maxVersions ?? DEFAULT_MAX_VERSIONS);
  }

  /** The histories of `id`, oldest first; the last is the current one unless it ended with a takedown. */
  historiesOf(id: string): readonly History[] {
    this.catchUp();
    return this.histories.get(id) ?? [];
  }

  /** The current history of `id` (empty when it has no earlier version, or was taken down since). */
  currentHistory(id: string): History {
    const last = this.historiesOf(id).at(-1);
    return last && last.takenDownAt === null ? last : { versions: [], forgotten: 0, takenDownAt: null };
  }

  /** When the current version of `id` replaced the one before (ISO 8601), or null when it has none. */
  correctedAt(id: string): string | null {
    return this.currentHistory(id).versions.at(-1)?.until ?? null;
  }

  /**
   * `correctedAt` of each of `ids`, reading what other processes appended once for all of them (a page
   * of hits asked one by one had cost a file check per hit on every search).
   */
  correctedAtEach(ids: readonly string[]): (string | null)[] {
    this.catchUp();
    return ids.map((id) => {
      const last = this.histories.get(id)?.at(-1);
      return last && last.takenDownAt === null ? (last.versions.at(-1)?.until ?? null) : null;
    });
  }

  /**
   * Keeps what changes replace, in one durable append (resolves once it is on
   * disk): for each, the version it replaces (`previous`, which became current at
   * `since` when known), and with `takedown` the end of the id's history.
   */
  keepReplaced(
    replaced: readonly { id: string; previous: Article | null; since: string | null; takedown: boolean }[],
  ): Promise<void> {
    const at = new Date().toISOString();
    const records: VersionRecord[] = [];
    for (const { id, previous, since, takedown } of replaced) {
      if (previous) records.push({ kind: 'version', id, at, since, article: previous });
      if (takedown) records.push({ kind: 'takedown', id, at });
    }
    return records.length ? this.append(records) : Promise.resolve();
  }

  /**
   * Appends versions an article store kept (a node's copy of its table), with
   * the store's times and numbers; those at or below `lastSeq` are already here
   * and skipped. Resolves once they are on disk.
   */
  appendMirrored(rows: readonly MirroredVersion[]): Promise<void> {
    const records: VersionRecord[] = [];
    for (const row of rows) {
      if (row.seq <= this.lastSeq) continue;
      records.push({ kind: 'version', id: row.id, at: row.at, since: row.since, article: row.article, seq: row.seq });
      if (row.takedown) records.push({ kind: 'takedown', id: row.id, at: row.at, seq: row.seq });
    }
    return records.length ? this.append(records) : Promise.resolve();
  }

  /** Closes the file (a later read or write opens it again). */
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  private append(records: VersionRecord[]): Promise<void> {
    if (!this.writable) throw new Error('this version history was opened read-only');
    this.catchUp();
    if (this.fd < 0) this.fd = openSync(this.file, 'r+');
    const bytes = Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.size + done);
      fsyncSync(this.fd);
    } catch (error) {
      throw journalWriteError(error, 'versions');
    }
    this.readNew();
    return Promise.resolve();
  }

  /**
   * Reads what other processes appended (a cluster's primary writes, its workers read). The writer (one per
   * journal folder: the owner lock) reads its own appends as it makes them, so it skips the file check a
   * search would otherwise cost.
   */
  private catchUp(): void {
    if (this.writable && this.fd >= 0) return;
    if (this.fd < 0) {
      if (!existsSync(this.file)) return;
      this.fd = openSync(this.file, this.writable ? 'r+' : 'r');
    }
    if (fstatSync(this.fd).size > this.size) this.readNew();
  }

  /** Reads the complete lines past `size`; a torn last line (a crash mid-write) is left, and overwritten by the next append. */
  private readNew(): void {
    const total = fstatSync(this.fd).size;
    if (total <= this.size) return;
    const bytes = Buffer.alloc(total - this.size);
    readSync(this.fd, bytes, 0, bytes.length, this.size);
    let from = 0;
    for (let newline = bytes.indexOf(10); newline >= 0; newline = bytes.indexOf(10, from)) {
      const text = bytes.toString('utf8', from, newline);
      from = newline + 1;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        continue;
      }
      if (typeof parsed !== 'object' || parsed === null) continue;
      if ('kind' in parsed) this.apply(parsed as VersionRecord);
      else if ('versions' in parsed && 'epoch' in parsed && typeof parsed.epoch === 'string') this.epoch = parsed.epoch;
    }
    this.size += from;
  }

  private apply(record: VersionRecord): void {
    if (record.seq !== undefined) this.lastSeq = Math.max(this.lastSeq, record.seq);
    let histories = this.histories.get(record.id);
    if (!histories) this.histories.set(record.id, (histories = []));
    let current = histories.at(-1);
    if (!current || current.takenDownAt !== null)
      histories.push((current = { versions: [], forgotten: 0, takenDownAt: null }));
    if (record.kind === 'takedown') {
      current.takenDownAt = record.at;
      return;
    }
    const last = current.versions.at(-1);
    current.versions.push({
      version: current.forgotten + current.versions.length + 1,
      since: last?.until ?? record.since ?? null,
      until: record.at,
      article: record.article,
    });
    // The current version counts among the `maxVersions` kept.
    while (current.versions.length > this.maxVersions - 1) {
      current.versions.shift();
      current.forgotten++;
    }
  }
}
