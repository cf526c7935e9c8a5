import path from 'node:path';
import type { Article, CorpusFile } from '../corpus/article.js';
import { ArchiveIndex } from './archive-index.js';
import { encodeDeletes } from './deletions-file.js';
import {
  COMMIT_FILE,
  describeCommit,
  type Commit,
  type CommitRecord,
  type CommitSegment,
  type IndexCache,
} from './index-cache.js';
import { IndexLexiconState } from './lexicon/lexicon.js';
import { writeFileAtomic } from './segments/atomic-file.js';
import { buildSegment, countForms, flushInWorker, flushWithForms, writeSegmentFile } from './segments/build-segment.js';
import type { FormsLexicon } from './lexicon/lexicon.js';
import { selectMerge } from './segments/merge-policy.js';
import { mergeInWorker } from './segments/merge-worker.js';
import { Segment } from './segments/segment-reader.js';

export type { CommitRecord } from './index-cache.js';

/** Default bound of a bulk build's buffer, in paragraphs (see `IndexWriterOptions.bufferParagraphs`). */
export const DEFAULT_BUFFER_PARAGRAPHS = 100_000;

/**
 * Buffers flushed at once by worker threads during a bulk build (while the
 * caller reads on): two use both cores of a small machine; each holds its
 * buffer while it inverts it.
 */
const FLUSH_WORKERS = 2;

/** A segment written ahead (in a worker thread) and its articles' form counts, to add with {@link IndexWriter.addSegment}. */
export interface PreparedSegment {
  segment: Segment;
  forms: Iterable<[string, number]>;
}

/** Options of an {@link IndexWriter}. */
export interface IndexWriterOptions {
  /** Where segment files, deletions and commits are written (null or absent: segments in memory, no merges, no commits). */
  directory?: IndexCache | null;
  /** The segments to start from (opened from `commit`, or given by a test). Default: none. */
  segments?: Segment[];
  /** Their lexicon as `commit` names it, or null (built from the segments when first needed). */
  lexicon?: FormsLexicon | null;
  /** The commit the segments were opened from: the next commit follows it (its generation, its unchanged deletion files). */
  commit?: Commit | null;
  /**
   * Paragraphs a bulk build ({@link IndexWriter.flushIfFull}) holds in memory before it flushes them
   * as a segment: what bounds a build's memory (about 3–4 kB a paragraph while it is inverted).
   * Integer ≥ 1; default {@link DEFAULT_BUFFER_PARAGRAPHS}.
   */
  bufferParagraphs?: number;
  /** One line per notable event (merges, a commit that failed). Default: none. */
  log?: (line: string) => void;
}

let memorySegments = 0;

/**
 * The index writer: the one place that changes the index, and the only code
 * that writes its files (segments, deletions, lexicon and commit). It adds
 * articles to an in-memory buffer, deletes articles by id, flushes the buffer
 * as a segment (in this thread, or in worker threads for a bulk build), merges
 * segments as the merge policy asks (in a worker thread), and commits: the
 * deletions and lexicon files, then `commit.json`, written last and atomically.
 *
 * Changes become visible to searches at {@link refresh}, which publishes a new
 * point-in-time reader ({@link reader}); a reader handed out before never
 * changes. Changes become durable at {@link commit}. Without a directory the
 * segments live in memory and nothing is merged or committed.
 */
export class IndexWriter {
  private directory: IndexCache | null;
  private segmentList: Segment[];
  /** The reader of the last refresh (made when first asked for). */
  private current: ArchiveIndex | null = null;
  private lastCommitted: Commit | null;
  private readonly log: (line: string) => void;
  private readonly lexiconState: IndexLexiconState;
  private readonly bufferLimit: number;
  /** Articles added and not yet flushed, and their ids (→ position). */
  private readonly pending: Article[] = [];
  private readonly pendingIds = new Map<string, number>();
  private pendingParagraphs = 0;
  /** Deletions made so far (a count that only grows: readers carry it, see `PostingsCache`). */
  private deletions = 0;
  /** Document numbers changed since the last reader (a merge): the next one is built from scratch. */
  private renumbered = false;
  /** A bulk build's buffers being flushed by worker threads, oldest first: their segments join the list in this order. */
  private readonly inFlight: { name: string; done: Promise<number> }[] = [];
  private merging: Promise<void> | null = null;
  private mergeError: unknown = null;

  constructor(options: IndexWriterOptions = {}) {
    this.directory = options.directory ?? null;
    this.segmentList = [...(options.segments ?? [])];
    this.lastCommitted = options.commit ?? null;
    this.log = options.log ?? (() => {});
    this.bufferLimit = options.bufferParagraphs ?? DEFAULT_BUFFER_PARAGRAPHS;
    this.lexiconState = new IndexLexiconState(options.lexicon ?? null);
  }

  /** The reader of the last refresh: what searches run on. */
  get reader(): ArchiveIndex {
    return this.current ?? this.publish();
  }

  /** The segments as the writer holds them now (flushed or merged since the last refresh included). */
  get segments(): readonly Segment[] {
    return this.segmentList;
  }

  /** The last commit made or opened, or null. */
  get lastCommit(): Commit | null {
    return this.lastCommitted;
  }

  /** True when segments go to files (merges and commits are possible); false: memory. */
  get writesFiles(): boolean {
    return this.directory !== null;
  }

  /** True while a merge runs in a worker thread. */
  get isMerging(): boolean {
    return this.merging !== null;
  }

  /** Writes new segments and merges to `directory` from now on (null: memory), e.g. a cluster worker's own folder. */
  writeSegmentsTo(directory: IndexCache | null): void {
    this.directory = directory;
  }

  /** True when a live article has this id, added but not yet refreshed ones included; reads no text. */
  hasArticle(id: string): boolean {
    return this.pendingIds.has(id) || this.findLive(id) !== null;
  }

  /** A live article by id (added but not yet refreshed ones included). */
  getArticle(id: string): Article | undefined {
    const at = this.pendingIds.get(id);
    if (at !== undefined) return this.pending[at];
    const found = this.findLive(id);
    return found ? found.segment.article(found.local) : undefined;
  }

  /** Where the live copy of `id` is in the segments (deletions not yet refreshed count), or null. */
  private findLive(id: string): { segment: Segment; local: number } | null {
    for (let s = this.segmentList.length - 1; s >= 0; s--) {
      const segment = this.segmentList[s]!;
      const local = segment.findArticle(id);
      if (local >= 0 && !segment.deleted[local]) return { segment, local };
    }
    return null;
  }

  /** Adds articles (ids must not be live: throws otherwise) to the buffer; {@link refresh} makes them searchable. */
  addArticles(articles: Iterable<Article>): void {
    for (const article of articles) {
      if (this.hasArticle(article.id)) throw new Error(`article ${article.id} is already indexed`);
      this.take(article);
    }
  }

  /**
   * Adds articles whose ids the caller knows are new (a build from nothing, a
   * test's fixture: no look-up is made) to the buffer.
   */
  addNewArticles(articles: Iterable<Article>): void {
    for (const article of articles) this.take(article);
  }

  private take(article: Article): void {
    this.pendingIds.set(article.id, this.pending.length);
    this.pending.push(article);
    this.pendingParagraphs += article.paragraphs.length;
    this.lexiconState.note([article], 1);
  }

  /**
   * Deletes articles by id, buffered or in the segments (unknown ids are
   * ignored); {@link refresh} makes it visible. Returns how many were deleted.
   */
  deleteArticles(ids: Iterable<string>): number {
    let removed = 0;
    const drop = new Set<string>();
    for (const id of ids) {
      const at = this.pendingIds.get(id);
      if (at !== undefined) {
        if (!drop.has(id)) this.lexiconState.note([this.pending[at]!], -1);
        drop.add(id);
        removed++;
        continue;
      }
      for (const segment of this.segmentList) {
        const local = segment.findArticle(id);
        if (local < 0 || segment.deleted[local]) continue;
        if (this.lexiconState.tracking) this.lexiconState.note([segment.article(local)], -1);
        segment.deleteArticle(local);
        this.deletions++;
        removed++;
      }
    }
    if (drop.size > 0) {
      const kept = this.pending.filter((a) => !drop.has(a.id));
      this.pending.length = 0;
      this.pendingIds.clear();
      this.pendingParagraphs = 0;
      for (const a of kept) {
        this.pendingIds.set(a.id, this.pending.length);
        this.pending.push(a);
        this.pendingParagraphs += a.paragraphs.length;
      }
    }
    return removed;
  }

  /**
   * Writes a segment of `articles` ahead, off this thread when segments go to
   * files (with their form counts, for the lexicon), so the caller can add it
   * later in one synchronous step with {@link addSegment}. In memory, in this thread.
   */
  async prepareSegment(articles: readonly Article[]): Promise<PreparedSegment> {
    const directory = this.directory;
    if (!directory) return { segment: this.writeSegment(articles), forms: countForms(articles, 1) };
    const name = directory.newSegmentName();
    const { forms } = await flushWithForms(articles, path.join(directory.dir, name));
    return { segment: directory.open(name), forms };
  }

  /**
   * Adds a segment written by {@link prepareSegment}, with its articles' form
   * counts for the lexicon; its ids must not be live. {@link refresh} makes it searchable.
   */
  addSegment(prepared: PreparedSegment): void {
    this.segmentList = [...this.segmentList, prepared.segment];
    this.lexiconState.noteCounts(prepared.forms);
  }

  /** Writes `articles` as a new segment in this thread (a file in the directory, else memory) and opens it. */
  private writeSegment(articles: readonly Article[]): Segment {
    const directory = this.directory;
    if (!directory) return Segment.fromBytes(buildSegment(articles, null)!, `memory-${++memorySegments}`);
    const name = directory.newSegmentName();
    const file = path.join(directory.dir, name);
    // With the articles' signatures beside it: an opening reader would otherwise compute them from the stored text.
    writeSegmentFile(articles, file);
    return Segment.open(file, name);
  }

  /** Writes the buffer (in this thread) as a new segment, not yet searchable: {@link refresh} publishes it. */
  flush(): void {
    if (this.pending.length === 0) return;
    this.segmentList = [...this.segmentList, this.writeSegment(this.pending)];
    this.clearBuffer();
  }

  /** Flushes the buffer, then publishes a new reader of every change so far; returns it. */
  refresh(): ArchiveIndex {
    this.flush();
    this.lexiconState.apply();
    return this.publish();
  }

  private clearBuffer(): void {
    this.pending.length = 0;
    this.pendingIds.clear();
    this.pendingParagraphs = 0;
  }

  /** A new reader of the segments as they are now. */
  private publish(): ArchiveIndex {
    this.current = new ArchiveIndex(this.segmentList, {
      previous: this.current,
      renumbered: this.renumbered,
      lexicon: this.lexiconState,
      deletions: this.deletions,
    });
    this.renumbered = false;
    return this.current;
  }

  // ---- Bulk build: a stream of new articles, flushed as the buffer fills, merged as it goes. ----

  /**
   * In a bulk build (articles added with {@link addNewArticles}, nothing
   * searchable until {@link finishBuild}): when the buffer holds
   * `bufferParagraphs` paragraphs, flushes it — by a worker thread when
   * segments go to files ({@link FLUSH_WORKERS} at once, this thread going on),
   * else in memory — and merges full tiers of segments in a worker thread as
   * they appear (one merge at a time). Throws a merge's error, if one failed.
   */
  async flushIfFull(): Promise<void> {
    if (this.pendingParagraphs >= this.bufferLimit) await this.flushBuffer(false);
    if (this.mergeError) throw this.mergeError;
  }

  /** Paragraphs a bulk build buffers before a flush. */
  get bufferParagraphs(): number {
    return this.bufferLimit;
  }

  private async flushBuffer(last: boolean): Promise<void> {
    if (this.pending.length === 0) return;
    const directory = this.directory;
    // A small last buffer (or a whole small corpus) is not worth starting a thread for.
    if (directory && !(last && this.pendingParagraphs < this.bufferLimit / 4)) {
      const name = directory.newSegmentName();
      // A flush with no other segment work beside it (a small build's only one) is split over two threads.
      const alone = this.inFlight.length === 0 && !this.merging;
      const done = flushInWorker(this.pending, path.join(directory.dir, name), alone);
      // A rejection is awaited in turn; until then it must not count as unhandled.
      done.catch(() => {});
      this.inFlight.push({ name, done });
      this.clearBuffer();
      while (this.inFlight.length >= FLUSH_WORKERS) await this.takeOldestFlush();
    } else {
      // Written in this thread while the flushes in flight go on in theirs (a build's small last buffer
      // then costs no wall time); it takes its place in the list after them.
      const segment = this.writeSegment(this.pending);
      this.clearBuffer();
      while (this.inFlight.length > 0) await this.takeOldestFlush();
      this.segmentList.push(segment);
    }
  }

  private async takeOldestFlush(): Promise<void> {
    const { name, done } = this.inFlight.shift()!;
    await done;
    this.segmentList.push(this.directory!.open(name));
    this.startMerge(0, (swap) => (swap(), Promise.resolve()));
  }

  /**
   * Ends a bulk build: flushes the rest (a small rest in this thread, beside the
   * flushes in flight), waits for every flush in flight, runs the merges the
   * policy asks for, and publishes the reader; returns it.
   */
  async finishBuild(): Promise<ArchiveIndex> {
    await this.flushBuffer(true);
    // A last buffer big enough for a worker is in flight too.
    while (this.inFlight.length > 0) await this.takeOldestFlush();
    this.startMerge(0, (swap) => (swap(), Promise.resolve()));
    while (this.merging) await this.merging;
    if (this.mergeError) throw this.mergeError;
    this.lexiconState.apply();
    return this.publish();
  }

  // ---- Merges ----

  /** The segments the merge policy would merge next, or null. */
  private chooseMerge(): Segment[] | null {
    const chosen = selectMerge(
      this.segmentList.map((s) => ({
        name: s.name,
        articles: s.articleCount,
        paragraphs: s.paragraphCount,
        deleted: s.deletedCount,
        bytes: s.byteSize,
      })),
    );
    return chosen ? this.segmentList.filter((s) => chosen.includes(s.name)) : null;
  }

  /** Merges `sources` into a new segment file in a worker thread (their deletions dropped); resolves with it opened. */
  private async mergeSegments(sources: readonly Segment[]): Promise<Segment> {
    const directory = this.directory!;
    const name = directory.newSegmentName();
    const files = sources.map((s) => ({
      file: s.path ?? path.join(directory.dir, s.name),
      name: s.name,
      deleted: s.deletedCount > 0 ? s.deleted.slice() : null,
    }));
    await mergeInWorker(files, path.join(directory.dir, name));
    return directory.open(name);
  }

  /**
   * Puts `merged` in the place of its first source and drops the other
   * sources; deletions made in the sources while the merge ran are carried
   * over (by id). The sources are closed after `closeAfterMs` (readers that
   * started before may still use them), at once when 0.
   */
  private replaceMerged(
    sources: readonly Segment[],
    before: readonly Uint8Array[],
    merged: Segment,
    closeAfterMs: number,
  ): void {
    sources.forEach((source, s) => {
      for (let i = 0; i < source.articleCount; i++) {
        if (!source.deleted[i] || before[s]![i]) continue;
        const local = merged.findArticle(source.storedMeta(i)[0]);
        if (local >= 0) merged.deleteArticle(local);
      }
    });
    const at = this.segmentList.indexOf(sources[0]!);
    this.segmentList = this.segmentList.flatMap((s, i) => (i === at ? [merged] : sources.includes(s) ? [] : [s]));
    this.renumbered = true;
    const close = () => {
      for (const s of sources) s.close();
    };
    if (closeAfterMs > 0) setTimeout(close, closeAfterMs).unref();
    else close();
    this.log(`merged ${sources.length} segments into ${merged.name} (${merged.liveCount} articles)`);
  }

  /**
   * Starts, in a worker thread, the merge the policy asks for (when segments go
   * to files and no merge runs); when it is written, `apply` is handed the swap
   * (the merged segment replacing its sources) to run when no other change is
   * half made — a live archive runs it in its queue — and the next merge the
   * policy asks for starts. Sources are closed `closeAfterMs` after the swap. A
   * failed merge leaves the segments as they were; its error is logged and, in a
   * bulk build, thrown by the next {@link flushIfFull} or {@link finishBuild}.
   */
  startMerge(closeAfterMs: number, apply: (swap: () => void) => Promise<void>, onDone?: () => void): void {
    if (!this.directory || this.merging) return;
    const sources = this.chooseMerge();
    if (!sources) return;
    const before = sources.map((s) => s.deleted.slice());
    this.merging = this.mergeSegments(sources)
      .then((merged) => apply(() => this.replaceMerged(sources, before, merged, closeAfterMs)))
      .then(
        () => {
          this.merging = null;
          this.startMerge(closeAfterMs, apply, onDone);
          if (!this.merging) onDone?.();
        },
        (error: unknown) => {
          this.mergeError = error;
          this.merging = null;
          this.log(`merge failed (${(error as Error).message}); the segments stay as they are`);
          onDone?.();
        },
      );
  }

  /** Resolves once no merge runs (the one running, and those it starts, done or failed). */
  async waitForMerges(): Promise<void> {
    while (this.merging) await this.merging;
  }

  /**
   * Merges, one after another, what the merge policy asks for (after an
   * update added a segment or deleted articles), then publishes a reader when
   * anything was merged. Throws when a merge fails.
   */
  async mergeAsPolicyAsks(): Promise<void> {
    if (!this.directory) return;
    let merged = false;
    for (let sources = this.chooseMerge(); sources; sources = this.chooseMerge()) {
      const before = sources.map((s) => s.deleted.slice());
      this.replaceMerged(sources, before, await this.mergeSegments(sources), 0);
      merged = true;
    }
    if (merged) this.publish();
  }

  /** Publishes a reader when a merge swapped segments since the last one (a live archive calls it after a swap). */
  refreshAfterMerge(): ArchiveIndex {
    return this.renumbered ? this.publish() : this.reader;
  }

  // ---- Commit ----

  /** Folds the lexicon's changes into it in a worker thread (before a commit); nothing may change meanwhile. */
  compactLexiconInWorker(): Promise<void> {
    return this.lexiconState.compactInWorker();
  }

  /** The lexicon as one `FormsLexicon` (its changes folded in: O(vocabulary)), as a commit saves it. */
  compactedLexicon(): FormsLexicon {
    return this.lexiconState.compacted(this.segmentList);
  }

  /**
   * Commits the segments of the last refresh: writes each segment's deletions
   * (a new file when they changed) and the lexicon, then `commit.json`
   * atomically — the commit point: until it is renamed into place the previous
   * commit stands — then removes the files no commit names. Returns the commit,
   * or null (with one log line) when there is no directory or it cannot be written.
   */
  commit(record: CommitRecord): Commit | null {
    const directory = this.directory;
    if (!directory) return null;
    try {
      this.lastCommitted = this.writeCommit(directory, record);
      return this.lastCommitted;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      this.log(
        `index-cache: could not commit in ${directory.dir} (${code}); serving from memory, the next start will rebuild`,
      );
      return null;
    }
  }

  /**
   * Writes the last commit again with `files` as its corpus fingerprints, nothing else changed (same
   * generation, segments and lexicon): for a corpus found unchanged whose files' times moved (a copy,
   * a restore, a `touch`), so the next open trusts their stamps instead of reading and hashing every
   * file again at every start. False when there is no folder or commit, or the write failed (logged).
   */
  recordCorpusStamps(files: CorpusFile[]): boolean {
    const directory = this.directory;
    const last = this.lastCommitted;
    if (!directory || !last) return false;
    const commit: Commit = { ...last, corpus: files };
    try {
      writeFileAtomic(path.join(directory.dir, COMMIT_FILE), Buffer.from(JSON.stringify(commit), 'utf8'));
    } catch (error) {
      this.log(
        `index-cache: could not record the corpus files' times (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
      return false;
    }
    this.lastCommitted = commit;
    return true;
  }

  private writeCommit(directory: IndexCache, record: CommitRecord): Commit {
    const previous = this.lastCommitted;
    const segments = this.reader.segments;
    const generation = (previous?.generation ?? 0) + 1;
    const entries: CommitSegment[] = segments.map((segment) => {
      let deletes: string | null = null;
      if (segment.deletedCount > 0) {
        const old = previous?.segments.find((e) => e.file === segment.name);
        deletes = `${segment.name.replace(/\.nrs$/, '')}.${generation}.del`;
        const bytes = encodeDeletes(segment.deleted);
        // Unchanged deletions keep their file.
        if (old?.deletes && directory.holds(old.deletes, bytes)) deletes = old.deletes;
        else writeFileAtomic(path.join(directory.dir, deletes), bytes);
      }
      return {
        file: segment.name,
        articles: segment.articleCount,
        paragraphs: segment.paragraphCount,
        bytes: segment.byteSize,
        deletes,
      };
    });
    const lexiconFile = `lexicon-${generation}.bin`;
    writeFileAtomic(path.join(directory.dir, lexiconFile), this.lexiconState.compacted(segments).encode());
    const commit = describeCommit(generation, entries, lexiconFile, segments, record);
    writeFileAtomic(path.join(directory.dir, COMMIT_FILE), Buffer.from(JSON.stringify(commit), 'utf8'));
    directory.removeUnreferenced(commit);
    return commit;
  }

  /** Releases the segments' files (the writer and its readers are then unusable). */
  close(): void {
    for (const segment of this.segmentList) segment.close();
  }
}

/**
 * Builds a reader of the given articles (ids unique) in memory, cut into
 * segments of at most `segmentArticles` articles (default: one segment): what
 * tests and benchmarks search.
 */
export function buildIndex(articles: Iterable<Article>, options: { segmentArticles?: number } = {}): ArchiveIndex {
  const list = [...articles];
  const size = options.segmentArticles ?? Math.max(1, list.length);
  const writer = new IndexWriter();
  for (let i = 0; i < list.length; i += size) {
    writer.addNewArticles(list.slice(i, i + size));
    writer.flush();
  }
  return writer.refresh();
}
