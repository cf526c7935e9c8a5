import type { Article, CorpusFile, Problem } from '../corpus/article.js';
import type { CorpusLimits } from '../corpus/corpus-limits.js';
import { isPublished } from '../corpus/publication.js';
import { ArchiveIndex } from '../index/archive-index.js';
import { corpusAdmitter, heldFilesOf, writtenArticles, type ArticleOverrides } from '../index/article-overrides.js';
import type { IndexCache } from '../index/index-cache.js';
import { IndexWriter, type PreparedSegment } from '../index/index-writer.js';
import { updateIndex } from '../index/open-index.js';
import { keepCorpusVersions, type CorpusVersionKeeper } from './corpus-versions.js';

/** Most articles applied in one step of a long run of journal changes. */
export const APPLY_STEP = 2500;
/** Ids looked up in the index between two turns of the event loop while a step is prepared. */
const LOOKUP_SLICE = 200;
/** From this many articles, a step's segment is written by a worker thread (below, in this thread: quicker for a few). */
const WORKER_STEP = 100;

/** How often held articles are checked for a passed embargo (ms): they appear within this. */
export const RELEASE_CHECK_MS = 250;
/** A change is committed to the index cache this long after the last one (ms), or at close… */
export const COMMIT_DELAY_MS = 5_000;
/** …and at most this long after the first one not yet committed. */
export const MAX_COMMIT_DELAY_MS = 60_000;
/** Segments replaced by a merge are closed this long after (ms): a reader that started before may still use them. */
const CLOSE_MERGED_AFTER_MS = 60_000;

/** A step of journal changes being applied (see `syncJournal`). */
interface JournalStep {
  ids: string[];
  upTo: number;
  /** Each id's change number, read with its article (so the two agree). */
  seqs: Map<string, number>;
  add: Article[];
  held: Article[];
  built: Promise<PreparedSegment> | null;
}

/** A change of what readers see, as the archive reports it to `onChange`. */
export interface ArchiveChange {
  /** Articles that became visible, or were replaced while visible. */
  published: readonly Article[];
  /** Ids that are no longer visible (taken down, or replaced by a draft or an embargoed article), or were never. */
  withdrawn: readonly string[];
  /** Number of the last journal change it covers; null for a corpus file or an embargo release. */
  seq: number | null;
  /** Each article's own change number (its put or takedown), for a change from the journal. */
  seqs?: ReadonlyMap<string, number>;
  /** An index of exactly `published` (the segment the change added, shared, read-only), when there are any. */
  index?: ArchiveIndex;
}

export interface LiveArchiveOptions {
  /** The index's writer (from `openIndex`): every change goes through it. */
  writer: IndexWriter;
  /** Drafts and embargoed articles the open found. */
  held: readonly Article[];
  /** The API's writes (already applied up to `overrides.lastSeq` when the index was opened). */
  overrides: ArticleOverrides;
  corpusDir: string;
  corpusLimits?: Partial<CorpusLimits>;
  /** The corpus the index holds, and its problems. */
  files: CorpusFile[];
  problems: Problem[];
  /** Where new segments go and merges are written (null: memory, no merges). */
  segmentCache: IndexCache | null;
  /** Commit to the index cache after changes (false: the next start applies the journal again). */
  commits: boolean;
  now?: () => number;
  log?: (line: string) => void;
  /**
   * Told of every change of what readers see, once it is searchable, in order
   * (saved searches match it): writes and takedowns, corpus files, embargo
   * releases. Called synchronously; it must not throw (an error is logged).
   */
  onChange?: (change: ArchiveChange) => void;
  /** Where a corpus file's changed articles keep their earlier versions (none: not kept). */
  versions?: CorpusVersionKeeper;
}

/**
 * The index of a running service, kept current: writes and takedowns from the
 * journal, corpus files added, changed or removed, drafts and embargoes released
 * when their time comes. Every change goes through one queue, so they apply in
 * order and a search never sees half of one; each bumps the index generation
 * (which empties the query cache). Drafts and embargoed articles stay out of the
 * index — no hit, count, suggestion or correction shows them — and are held here,
 * for editors' previews. New segments are merged in a worker thread as the merge
 * policy asks, and the index cache committed a few seconds after changes.
 */
export class LiveArchive {
  private readonly writer: IndexWriter;
  /** Sequence number of the last journal change applied. */
  appliedSeq: number;
  private readonly held = new Map<string, Article>();
  private heldVersion = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private releaseTimer: NodeJS.Timeout | null = null;
  private commitTimer: NodeJS.Timeout | null = null;
  /** When the first change not yet committed was made (ms since the epoch), or null. */
  private uncommittedSince: number | null = null;
  private merging: Promise<void> | null = null;
  private preview: { key: string; index: ArchiveIndex } | null = null;
  private files: CorpusFile[];
  private problems: Problem[];
  /** The clock drafts and embargoes are judged by (ms since the epoch). */
  readonly now: () => number;
  private readonly log: (line: string) => void;
  private closed = false;

  constructor(private readonly options: LiveArchiveOptions) {
    this.writer = options.writer;
    this.appliedSeq = options.overrides.lastSeq;
    for (const article of options.held) this.held.set(article.id, article);
    this.files = options.files;
    this.problems = options.problems;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    options.writer.writeSegmentsTo(options.segmentCache);
    this.releaseTimer = setInterval(() => void this.releaseDue(), RELEASE_CHECK_MS);
    this.releaseTimer.unref();
  }

  /** The reader of the last change applied: what searches run on (replaced at every change, never changed). */
  get index(): ArchiveIndex {
    return this.writer.reader;
  }

  /** Number of drafts and embargoed articles held. */
  get heldCount(): number {
    return this.held.size;
  }

  /** A held (draft or embargoed) article by id. */
  heldArticle(id: string): Article | undefined {
    return this.held.get(id);
  }

  /** True when an article with this id exists, published or held. */
  has(id: string): boolean {
    return this.held.has(id) || this.writer.hasArticle(id);
  }

  /**
   * Applies the journal's changes newer than the last applied (call after the
   * journal took writes, or caught up with another process's); resolves once
   * they are searchable. A long run of changes (a bulk import) is applied
   * {@link APPLY_STEP} articles at a time, each step's segment written by a
   * worker thread, with searches served between steps.
   */
  syncJournal(): Promise<void> {
    return this.enqueue(async () => {
      let step = this.prepareStep(this.appliedSeq);
      while (step) {
        // The next step's segment is built while this one's finishes: two worker threads at most.
        const following = this.prepareStep(step.upTo);
        const built = step.built ? await step.built : null;
        // Which ids the index holds, found in slices between searches (a bulk import's are mostly new).
        const present: string[] = [];
        for (let i = 0; i < step.ids.length; i += LOOKUP_SLICE) {
          for (const id of step.ids.slice(i, i + LOOKUP_SLICE)) if (this.writer.hasArticle(id)) present.push(id);
          if (i + LOOKUP_SLICE < step.ids.length) await new Promise((resolve) => setImmediate(resolve));
        }
        // One synchronous step: a search sees all of it or none.
        for (const id of step.ids) if (this.held.delete(id)) this.heldVersion++;
        this.writer.deleteArticles(present);
        if (built) this.writer.addSegment(built);
        else this.writer.addArticles(step.add);
        this.writer.refresh();
        this.appliedSeq = Math.max(this.appliedSeq, step.upTo);
        this.options.overrides.forget?.(step.ids);
        this.hold(step.held);
        this.changed();
        const shown = new Set(step.add.map((a) => a.id));
        this.report({
          published: step.add,
          withdrawn: step.ids.filter((id) => !shown.has(id)),
          seq: step.upTo,
          seqs: step.seqs,
        });
        step = following ?? this.prepareStep(this.appliedSeq);
        if (step) await new Promise((resolve) => setImmediate(resolve));
      }
    });
  }

  /** The next step of journal changes after `seq`: its articles sorted out, its segment being written (when big enough). */
  private prepareStep(seq: number): JournalStep | null {
    const overrides = this.options.overrides;
    if (overrides.lastSeq <= seq) return null;
    const { ids, upTo } = overrides.changesAfter(seq, APPLY_STEP);
    const { publish: add, hold: held } = writtenArticles(overrides, ids, this.now());
    const seqs = new Map(ids.map((id) => [id, overrides.seqOf?.(id) ?? upTo]));
    let built: JournalStep['built'] = null;
    if (this.writer.writesFiles && add.length >= WORKER_STEP) {
      built = this.writer.prepareSegment(add);
      built.catch(() => {}); // awaited in turn
    }
    return { ids, upTo, seqs, add, held, built };
  }

  /**
   * Re-reads corpus files: the articles of `touched` are removed, and those of
   * the ones among them that still exist (`check.files`) parsed and added (as at
   * a start: the API's ids, drafts and embargoes kept out). `check` is the new
   * listing of the corpus.
   */
  applyFiles(
    touched: readonly string[],
    check: { files: CorpusFile[]; problems: Problem[] },
  ): Promise<{ problems: Problem[] }> {
    return this.enqueue(async () => {
      const touchedSet = new Set(touched);
      for (const [id, article] of this.held) {
        if (touchedSet.has(article.file)) {
          this.held.delete(id);
          this.heldVersion++;
        }
      }
      const present = new Set(check.files.map((f) => f.path));
      const held: Article[] = [];
      const admit = corpusAdmitter(this.options.overrides, this.now, held);
      const before = this.options.versions
        ? touched.flatMap((file) => this.index.articlesOfFile(file).map((ord) => this.index.article(ord)))
        : [];
      const update = await updateIndex(
        this.writer,
        this.options.corpusDir,
        touchedSet,
        touched.filter((f) => present.has(f)),
        this.options.corpusLimits,
        admit,
      );
      this.hold(held);
      await keepCorpusVersions(this.options.versions, before, (id) => this.index.getArticle(id));
      const shown = new Set(update.added.map((a) => a.id));
      this.report({ published: update.added, withdrawn: update.removed.filter((id) => !shown.has(id)), seq: null });
      this.files = check.files;
      const kept = this.problems.filter((p) => !touchedSet.has(p.file) && present.has(p.file));
      this.problems = [
        ...kept,
        ...check.problems.filter((p) => !kept.some((k) => k.file === p.file && k.message === p.message)),
        ...update.problems,
      ];
      this.changed();
      return { problems: update.problems };
    });
  }

  /**
   * The index with the held articles added (for an editor's preview), or the
   * index itself when none is held; rebuilt only when either changed.
   */
  previewIndex(): ArchiveIndex {
    if (this.held.size === 0) return this.index;
    const key = `${this.index.generation}:${this.heldVersion}`;
    if (this.preview?.key !== key) {
      // A writer in memory over the same segments, plus one of the held articles; it deletes nothing.
      const preview = new IndexWriter({ segments: [...this.index.segments] });
      preview.addNewArticles(this.held.values());
      this.preview = { key, index: preview.refresh() };
    }
    return this.preview.index;
  }

  /** Stops the timers, waits for the queue and a running merge, and commits what is not yet. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.releaseTimer) clearInterval(this.releaseTimer);
    if (this.commitTimer) clearTimeout(this.commitTimer);
    await this.queue.catch(() => {});
    const pending = this.commitTimer !== null;
    await this.merging;
    if (pending || this.commitTimer) await this.commitNow();
    this.commitTimer = null;
  }

  /** Releases held articles whose embargo has passed. */
  releaseDue(): Promise<void> {
    const nowMs = this.now();
    const due = [...this.held.values()].filter((a) => isPublished(a, nowMs));
    if (due.length === 0) return Promise.resolve();
    return this.enqueue(() => {
      const still = due.filter((a) => this.held.get(a.id) === a);
      for (const a of still) this.held.delete(a.id);
      this.heldVersion++;
      this.writer.addArticles(still);
      this.writer.refresh();
      this.report({ published: still, withdrawn: [], seq: null });
      this.log(
        `published ${still.length} article(s) whose embargo passed: ${still
          .map((a) => a.id)
          .slice(0, 5)
          .join(', ')}${still.length > 5 ? ', …' : ''}`,
      );
      this.changed();
    });
  }

  /** Tells `onChange` of a change (its errors are logged: the archive goes on). */
  private report(change: ArchiveChange): void {
    if (
      !this.options.onChange ||
      (change.published.length === 0 && change.withdrawn.length === 0 && change.seq === null)
    )
      return;
    // The change's articles are the segment its refresh added last: shared with listeners, no copy.
    const added = change.published.length > 0 ? this.index.segments.at(-1) : undefined;
    try {
      this.options.onChange(
        added && added.liveCount === change.published.length ? { ...change, index: new ArchiveIndex([added]) } : change,
      );
    } catch (error) {
      this.log(`a listener of changes failed (${(error as Error).message})`);
    }
  }

  private hold(articles: readonly Article[]): void {
    for (const article of articles) this.held.set(article.id, article);
    if (articles.length) this.heldVersion++;
  }

  private enqueue<T>(task: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * After a change: a merge if the policy asks, and a commit {@link COMMIT_DELAY_MS}
   * after the last change (a run of writes commits once), at most {@link MAX_COMMIT_DELAY_MS} after the first.
   */
  private changed(): void {
    this.startMerge();
    if (!this.options.commits || this.closed) return;
    const nowMs = Date.now();
    this.uncommittedSince ??= nowMs;
    if (this.commitTimer) clearTimeout(this.commitTimer);
    const delay = Math.max(0, Math.min(COMMIT_DELAY_MS, this.uncommittedSince + MAX_COMMIT_DELAY_MS - nowMs));
    this.commitTimer = setTimeout(() => {
      this.commitTimer = null;
      void this.enqueue(async () => {
        if (this.merging) return; // The merge's end schedules the commit again.
        await this.commitNow();
      });
    }, delay);
    this.commitTimer.unref();
  }

  /** Commits the index cache: the lexicon folded in a worker thread first, so this thread only writes files. */
  private async commitNow(): Promise<void> {
    if (!this.options.commits) return;
    this.uncommittedSince = null;
    try {
      await this.writer.compactLexiconInWorker();
    } catch (error) {
      this.log(`index-cache: could not fold the lexicon in a worker (${(error as Error).message}); folding it here`);
    }
    const live = {
      overrides: { epoch: this.options.overrides.epoch, seq: this.appliedSeq },
      heldFiles: heldFilesOf(this.held.values()),
    };
    this.writer.commit({ corpus: { files: this.files, problems: this.problems }, live });
  }

  /**
   * Has the writer merge what the policy asks in a worker thread, one merge at
   * a time; the merged segment replaces its sources in this archive's queue (no
   * change is then half applied), and a new reader is published.
   */
  private startMerge(): void {
    if (this.merging || this.closed || !this.writer.writesFiles) return;
    let finished!: () => void;
    const merging = new Promise<void>((resolve) => (finished = resolve));
    this.writer.startMerge(
      CLOSE_MERGED_AFTER_MS,
      (swap) =>
        this.enqueue(() => {
          swap();
          this.writer.refreshAfterMerge();
        }),
      () => {
        this.merging = null;
        finished();
        this.changed();
      },
    );
    if (this.writer.isMerging) this.merging = merging;
  }
}
