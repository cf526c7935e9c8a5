import { performance } from 'node:perf_hooks';
import { CorruptIndexError } from '../errors.js';
import type { Article, CorpusFile, Problem } from '../corpus/article.js';
import { corpusAdmitter, heldFilesOf, writtenArticles, type ArticleOverrides } from './article-overrides.js';
import type { CorpusLimits } from '../corpus/corpus-limits.js';
import { checkCorpus, parseCorpusFiles } from '../corpus/read-corpus.js';
import type { ArchiveIndex } from './archive-index.js';
import { buildFromCorpus, type BuildProgress } from './build-from-corpus.js';
import { IndexCache, readCommit, setAsideCache, type Commit } from './index-cache.js';
import { IndexWriter } from './index-writer.js';
import type { Segment } from './segments/segment-reader.js';
import { filesToRecheckForDuplicates, resolveDuplicateIds } from './resolve-duplicate-ids.js';

/** How the index was obtained. */
export type OpenState = 'loaded' | 'updated' | 'rebuilt';

export interface OpenIndexOptions {
  corpusDir: string;
  cacheDir: string;
  /** One line per notable event (cache set aside, cache not writable, merges…). Default: none. */
  log?: (line: string) => void;
  /** Progress while building: files, articles, segments. */
  onProgress?: (progress: BuildProgress) => void;
  /** When more than this share of files changed (and more than 16 files), rebuild instead of updating (0–1, default 0.5). */
  rebuildRatio?: number;
  /** Paragraphs buffered in memory before a segment is written (see `IndexWriterOptions.bufferParagraphs`). */
  bufferParagraphs?: number;
  /** Ignore the cache and rebuild from the corpus (`--rebuild`). Default false. */
  rebuild?: boolean;
  /**
   * Re-hash every corpus file instead of trusting recorded times, repairing what
   * differs, and check every byte of every segment against its checksums (`--verify`). Default false.
   */
  verify?: boolean;
  /** File size limit and symbolic-link rule for reading the corpus (default: `DEFAULT_CORPUS_LIMITS`). */
  corpusLimits?: Partial<CorpusLimits>;
  /** The API's writes and takedowns (the journal): they win over the corpus for the ids they decide. */
  overrides?: ArticleOverrides;
  /** The clock drafts and embargoes are judged by (ms since the epoch); default `Date.now`. */
  now?: () => number;
  /**
   * Never write the cache (a worker process beside others): updates go to
   * memory, nothing is committed or merged, and a needed rebuild is made in memory.
   */
  readOnly?: boolean;
  /**
   * Told, before the new commit is written, of the articles the last commit
   * held from corpus files that changed since it (as they were then), with the
   * index's article of an id now; resolves once it kept what it needs (a
   * service keeps them as earlier versions). Not called when none changed.
   */
  onCorpusReplaced?: (before: readonly Article[], now: (id: string) => Article | undefined) => Promise<void>;
}

/** The articles `index` holds from `files`, as stored. */
function articlesOfFiles(index: ArchiveIndex, files: readonly string[]): Article[] {
  return files.flatMap((file) => index.articlesOfFile(file).map((ord) => index.article(ord)));
}

export interface OpenIndexResult {
  /** The reader at the end of the open (the writer's). */
  index: ArchiveIndex;
  /** The writer of the index: further changes, merges and commits go through it. */
  writer: IndexWriter;
  state: OpenState;
  /** Why the index was rebuilt (no index yet, corrupt, stale versions…), or what was updated. */
  reason: string;
  problems: Problem[];
  /** Corpus files added, changed or removed since the last commit (for `updated`). */
  changedFiles: string[];
  /** False when the cache could not be written (read-only or full disk): the index lives in memory only. */
  saved: boolean;
  /** Milliseconds spent: checking or reading the corpus, indexing (or opening), saving. */
  timings: { readMs: number; indexMs: number; saveMs: number; totalMs: number };
  /** Drafts and embargoed articles, kept out of the index until they are published. */
  held: Article[];
  /** The corpus files the index holds (fingerprints), for later updates. */
  files: CorpusFile[];
  /** The cache the index lives in (null: memory only), and its last commit. */
  cache: IndexCache | null;
  commit: Commit | null;
}

/**
 * Opens the archive index for a corpus: opens the segments the cache's commit
 * names when it matches the corpus and versions (reading headers and tables,
 * not postings); re-indexes only the changed files when some changed (their
 * articles are deleted and added again as a new segment); otherwise — no
 * commit, a corrupt, truncated or stale one — says why in one log line, sets
 * the cache aside and rebuilds from the corpus as a stream of segments. Never
 * throws for a bad cache (a `CorruptIndexError` while opening its files means
 * rebuild); throws when the corpus folder itself is missing, and passes on any
 * other failure to open the committed files (a bug or a disk error is not
 * corruption, and a rebuild would hide it).
 */
export async function openIndex(options: OpenIndexOptions): Promise<OpenIndexResult> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const timings = { readMs: 0, indexMs: 0, saveMs: 0, totalMs: 0 };
  const now = options.now ?? Date.now;
  const overrides = options.overrides;
  const held: Article[] = [];
  const admit = corpusAdmitter(overrides, now, held);
  let lastCommit: Commit | null = null;
  /** The last commit's articles of corpus files changed since (see `onCorpusReplaced`). */
  let replaced: Article[] = [];
  const tellReplaced = async (writer: IndexWriter) => {
    if (replaced.length && options.onCorpusReplaced)
      await options.onCorpusReplaced(replaced, (id) => writer.getArticle(id));
    replaced = [];
  };
  const done = (
    result: Omit<OpenIndexResult, 'timings' | 'held' | 'files' | 'cache' | 'commit' | 'index'>,
    files: CorpusFile[],
  ): OpenIndexResult => {
    timings.totalMs = performance.now() - started;
    return {
      ...result,
      index: result.writer.reader,
      timings,
      held,
      files,
      cache: result.saved ? cache : null,
      commit: lastCommit,
    };
  };
  const commitNow = (writer: IndexWriter, corpus: { files: CorpusFile[]; problems: Problem[] }): boolean => {
    if (options.readOnly) return false;
    const live = {
      overrides: { epoch: overrides?.epoch ?? '', seq: overrides?.lastSeq ?? 0 },
      heldFiles: heldFilesOf(held),
    };
    lastCommit = writer.commit({ corpus, live });
    return lastCommit !== null;
  };

  let cache: IndexCache | null = null;
  try {
    cache = new IndexCache(options.cacheDir);
  } catch (error) {
    log(
      `index-cache: cannot use ${options.cacheDir} (${codeOf(error)}); indexing in memory, the next start will rebuild`,
    );
  }

  const read = cache ? readCommit(options.cacheDir) : { ok: false as const, reason: 'cache not writable', bad: false };
  let reason = read.ok ? '' : read.reason;
  if (!read.ok && read.bad && !options.readOnly) {
    log(`index-cache: ${read.reason}; setting it aside and rebuilding`);
    setAsideQuietly(options.cacheDir, log);
  }
  if (read.ok && options.rebuild) reason = 'rebuild requested (--rebuild)';
  const applied = read.ok ? (read.commit.overrides ?? { epoch: '', seq: 0 }) : { epoch: '', seq: 0 };
  const staleWrites =
    applied.seq > 0 && (applied.epoch !== (overrides?.epoch ?? '') || applied.seq > (overrides?.lastSeq ?? 0));
  if (read.ok && !options.rebuild && staleWrites) reason = 'the index holds writes of another journal';
  if (read.ok && cache && !options.rebuild && !staleWrites) {
    const commit = read.commit;
    let t = performance.now();
    let segments: Segment[] | null = null;
    let writer: IndexWriter | null = null;
    try {
      if (!options.readOnly) cache.removeUnreferenced(commit);
      segments = cache.openCommitted(commit, { verify: options.verify });
      // Read-only: changes stay in memory, nothing is merged or committed.
      writer = new IndexWriter({
        directory: options.readOnly ? null : cache,
        segments,
        lexicon: cache.readLexicon(commit),
        commit,
        log,
      });
    } catch (error) {
      // Only a corrupt file is mended by a rebuild; anything else (a bug, a disk error) is reported as it is.
      if (!(error instanceof CorruptIndexError)) {
        for (const s of segments ?? []) s.close();
        throw error;
      }
      reason = `index unusable: ${error.message}`;
      log(`index-cache: ${reason}; setting it aside and rebuilding`);
      for (const s of segments ?? []) s.close();
      segments = null;
      if (!options.readOnly) setAsideQuietly(options.cacheDir, log);
    }
    timings.indexMs += performance.now() - t;
    if (writer) {
      t = performance.now();
      // Compare the corpus with the commit's fingerprints (hashing only files whose time or size moved).
      const check = await checkCorpus(options.corpusDir, commit.corpus, {
        verify: options.verify,
        limits: options.corpusLimits,
      });
      timings.readMs += performance.now() - t;
      const changed = [...check.changed, ...check.removed];
      // Files holding drafts or embargoes are read again: some may be due now.
      const heldFiles = commit.heldFiles ?? [];
      const reconsider = overrides
        ? [...new Set([...overrides.changedSince(applied.seq), ...overrides.gatedIds()])]
        : [];
      // Files whose article lost to a duplicate id are parsed again with the changed ones.
      const touched =
        changed.length === 0 && heldFiles.length === 0
          ? []
          : [
              ...new Set([
                ...changed,
                ...heldFiles,
                ...filesToRecheckForDuplicates(commit.problems, changed, check.files),
              ]),
            ].sort();
      const ratio = touched.length / Math.max(1, check.files.length);
      if (touched.length === 0 && reconsider.length === 0) {
        // Files hashed again and found unchanged: their new times are recorded, or every start would hash them again.
        if (!options.readOnly && stampsMoved(commit.corpus, check.files)) writer.recordCorpusStamps(check.files);
        lastCommit = writer.lastCommit ?? commit;
        return done(
          {
            writer,
            state: 'loaded',
            reason: 'index matches the corpus',
            problems: mergeProblems(keepProblems(commit, new Set()), check.problems),
            changedFiles: [],
            saved: true,
          },
          check.files,
        );
      }
      if (touched.length <= 16 || ratio <= (options.rebuildRatio ?? 0.5)) {
        t = performance.now();
        const touchedSet = new Set(touched);
        const present = new Set(check.files.map((f) => f.path));
        if (options.onCorpusReplaced) replaced = articlesOfFiles(writer.reader, check.changed);
        const update = await updateIndex(
          writer,
          options.corpusDir,
          touchedSet,
          touched.filter((f) => present.has(f)),
          options.corpusLimits,
          admit,
        );
        if (overrides) applyOverrides(writer, overrides, reconsider, now(), held);
        await writer.mergeAsPolicyAsks();
        timings.indexMs += performance.now() - t;
        await tellReplaced(writer);
        const problems = mergeProblems(keepProblems(commit, touchedSet), check.problems, update.problems);
        t = performance.now();
        const saved = commitNow(writer, { files: check.files, problems });
        timings.saveMs = performance.now() - t;
        const what = [
          `${changed.length} file(s) changed since the last commit`,
          ...(reconsider.length ? [`${reconsider.length} write(s) applied`] : []),
        ].join(', ');
        return done({ writer, state: 'updated', reason: what, problems, changedFiles: changed, saved }, check.files);
      }
      reason = `${changed.length} of ${check.files.length} files changed`;
      if (options.onCorpusReplaced) replaced = articlesOfFiles(writer.reader, check.changed);
      writer.close();
    }
  }

  // A full build, as a stream of segments; the API's published writes after the corpus.
  const extra = (): Article[] => {
    if (!overrides) return [];
    const { publish, hold } = writtenArticles(overrides, overrides.putIds(), now());
    held.push(...hold);
    return publish;
  };
  let t = performance.now();
  if (options.readOnly) cache = null;
  const buildOptions = { onProgress: options.onProgress, limits: options.corpusLimits, admit, extra };
  let writer = new IndexWriter({ directory: cache, bufferParagraphs: options.bufferParagraphs, log });
  let built;
  try {
    built = await buildFromCorpus(options.corpusDir, writer, buildOptions);
  } catch (error) {
    if (!cache || !isDiskError(error)) throw error;
    log(
      `index-cache: could not write segments in ${options.cacheDir} (${codeOf(error)}); indexing in memory, the next start will rebuild`,
    );
    cache.removeUnreferenced(null);
    cache = null;
    held.length = 0;
    writer = new IndexWriter({ bufferParagraphs: Number.MAX_SAFE_INTEGER, log });
    built = await buildFromCorpus(options.corpusDir, writer, buildOptions);
  }
  timings.indexMs += performance.now() - t;
  const problems = mergeProblems(built.problems);
  await tellReplaced(writer);
  t = performance.now();
  const saved = cache ? commitNow(writer, { files: built.files, problems }) : false;
  timings.saveMs = performance.now() - t;
  return done(
    { writer, state: 'rebuilt', reason: reason || 'no index yet', problems, changedFiles: [], saved },
    built.files,
  );
}

/** Deletes the articles of the touched files and adds those of the ones that still exist; refreshes the writer. */
export async function updateIndex(
  writer: IndexWriter,
  corpusDir: string,
  touched: Set<string>,
  existing: string[],
  limits: Partial<CorpusLimits> | undefined,
  admit: (article: Article) => boolean = () => true,
): Promise<{ problems: Problem[]; added: Article[]; removed: string[] }> {
  const index = writer.reader;
  const stale: string[] = [];
  for (const file of touched) for (const ord of index.articlesOfFile(file)) stale.push(index.article(ord).id);
  writer.deleteArticles(stale);
  const parsed = await parseCorpusFiles(corpusDir, existing, { limits, keepDuplicates: true });
  // The same first-in-path-order rule as a rebuild: an earlier file's copy displaces an indexed one.
  // Articles the API decides, drafts and embargoes never reach the index (nor displace what it holds).
  const resolved = resolveDuplicateIds(parsed.articles.filter(admit), (id) => writer.getArticle(id)?.file);
  writer.deleteArticles(resolved.displace);
  writer.addArticles(resolved.add);
  writer.refresh();
  return {
    problems: [...parsed.problems, ...resolved.problems],
    added: resolved.add,
    removed: [...stale, ...resolved.displace],
  };
}

/**
 * Brings the index in line with the API's latest writes for `ids`: each id's
 * article is removed, then its latest put added back (or held, when it is a
 * draft or embargoed); a takedown stays removed. Refreshes the writer.
 */
function applyOverrides(
  writer: IndexWriter,
  overrides: ArticleOverrides,
  ids: readonly string[],
  nowMs: number,
  held: Article[],
): void {
  writer.deleteArticles(ids);
  const { publish, hold } = writtenArticles(overrides, ids, nowMs);
  writer.addArticles(publish);
  held.push(...hold);
  writer.refresh();
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

function isDiskError(error: unknown): boolean {
  return ['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EDQUOT', 'EIO'].includes((error as NodeJS.ErrnoException).code ?? '');
}

/** Parse problems recorded in the commit for files that did not change. */
function keepProblems(commit: Commit, touched: Set<string>): Problem[] {
  return commit.problems.filter((p) => !touched.has(p.file));
}

function problemKey(p: Problem): string {
  return `${p.file}\u0000${p.line ?? ''}\u0000${p.message}`;
}

/** Problems from several sources, each once, sorted by file then line. */
function mergeProblems(...lists: Problem[][]): Problem[] {
  const seen = new Map<string, Problem>();
  for (const list of lists) for (const p of list) seen.set(problemKey(p), p);
  return [...seen.values()].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0),
  );
}

function setAsideQuietly(cacheDir: string, log: (line: string) => void): void {
  try {
    setAsideCache(cacheDir);
  } catch (error) {
    log(`index-cache: could not set the old index aside (${codeOf(error)})`);
  }
}

/** True when a file of `now` has another stamp (times, inode, when checked) than in `before`: it was read and hashed again. */
function stampsMoved(before: readonly CorpusFile[], now: readonly CorpusFile[]): boolean {
  const old = new Map(before.map((f) => [f.path, f]));
  return now.some((f) => {
    const o = old.get(f.path);
    return (
      o === undefined ||
      o.mtimeMs !== f.mtimeMs ||
      o.ctimeMs !== f.ctimeMs ||
      o.ino !== f.ino ||
      o.checkedAtMs !== f.checkedAtMs
    );
  });
}
