import { performance } from 'node:perf_hooks';
import type { CorpusFile, Problem } from '../corpus/article.js';
import type { CorpusLimits } from '../corpus/corpus-limits.js';
import { checkCorpus, parseCorpusFiles, readCorpus } from '../corpus/read-corpus.js';
import { ArchiveIndex, buildIndex } from './archive-index.js';
import { readManifest, readSnapshot, setAsideCache, writeSnapshot, type SnapshotManifest } from './index-cache.js';
import { filesToRecheckForDuplicates, resolveDuplicateIds } from './resolve-duplicate-ids.js';

/** How the index was obtained. */
export type OpenState = 'loaded' | 'updated' | 'rebuilt';

export interface OpenIndexOptions {
  corpusDir: string;
  cacheDir: string;
  /** One line per notable event (cache set aside, cache not writable…). Default: none. */
  log?: (line: string) => void;
  /** Progress while reading the corpus: files done, total. */
  onProgress?: (done: number, total: number) => void;
  /** When more than this share of files changed (and more than 16 files), rebuild instead of updating (0–1, default 0.5). */
  rebuildRatio?: number;
  /** File size limit and symbolic-link rule for reading the corpus (default: `DEFAULT_CORPUS_LIMITS`). */
  corpusLimits?: Partial<CorpusLimits>;
  /** Re-hash every corpus file instead of trusting recorded times, and repair what differs (`--verify`). Default false. */
  verify?: boolean;
  /** Ignore the cache and rebuild from the corpus (`--rebuild`). Default false. */
  rebuild?: boolean;
}

export interface OpenIndexResult {
  index: ArchiveIndex;
  state: OpenState;
  /** Why the index was rebuilt (no snapshot, corrupt, stale versions…), or what was updated. */
  reason: string;
  problems: Problem[];
  /** Corpus files added, changed or removed since the snapshot (for `updated`). */
  changedFiles: string[];
  /** False when the snapshot could not be written (read-only or full disk): the index lives in memory only. */
  saved: boolean;
  /** Milliseconds spent: reading the corpus, indexing (or loading), saving. */
  timings: { readMs: number; indexMs: number; saveMs: number; totalMs: number };
}

/**
 * Opens the archive index for a corpus: loads the snapshot in `cacheDir` when it
 * matches the corpus, versions and checksum; re-indexes only the changed files
 * when some changed (their articles are removed and added again); otherwise — no
 * snapshot, a corrupt, truncated or stale one — says why in one log line, sets it
 * aside and rebuilds. Saves the result; if saving fails, keeps working from memory.
 * Never throws for a bad cache; throws only when the corpus folder itself is missing.
 */
export async function openIndex(options: OpenIndexOptions): Promise<OpenIndexResult> {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const timings = { readMs: 0, indexMs: 0, saveMs: 0, totalMs: 0 };

  const manifestRead = options.rebuild
    ? { ok: false as const, reason: 'rebuild requested (--rebuild)', bad: false }
    : await readManifest(options.cacheDir);
  let reason = manifestRead.ok ? '' : manifestRead.reason;
  if (!manifestRead.ok && manifestRead.bad) {
    log(`index-cache: ${manifestRead.reason}; setting it aside and rebuilding`);
    await setAsideQuietly(options.cacheDir, log);
  }

  if (manifestRead.ok) {
    const manifest = manifestRead.manifest;
    let t = performance.now();
    // Compare the corpus with the snapshot's fingerprints (hashing only files whose time or size moved).
    const check = await checkCorpus(options.corpusDir, manifest.corpus, {
      verify: options.verify,
      limits: options.corpusLimits,
      onProgress: options.onProgress,
    });
    timings.readMs += performance.now() - t;
    const listing = { files: check.files, problems: check.problems };
    const changed = check.changed;
    const touched = [...changed, ...check.removed];
    const ratio = touched.length / Math.max(1, listing.files.length);
    // Updating touches each changed article twice (remove, add); past a point a rebuild is cheaper.
    if (touched.length <= 16 || ratio <= (options.rebuildRatio ?? 0.5)) {
      t = performance.now();
      const cached = await readSnapshot(options.cacheDir, manifest);
      timings.indexMs += performance.now() - t;
      if (cached.ok) {
        const index = cached.index;
        const walkProblems = listing.problems;
        if (touched.length === 0) {
          timings.totalMs = performance.now() - started;
          return {
            index,
            state: 'loaded',
            reason: 'snapshot matches the corpus',
            problems: mergeProblems(keepProblems(manifest, new Set()), walkProblems),
            changedFiles: [],
            saved: true,
            timings,
          };
        }
        t = performance.now();
        // Files whose article lost to a duplicate id are parsed again with the changed ones.
        const recheck = filesToRecheckForDuplicates(manifest.problems, touched, listing.files);
        const reparsed = new Set([...touched, ...recheck]);
        const update = await updateIndex(index, options.corpusDir, reparsed, [...changed, ...recheck], options.corpusLimits);
        timings.indexMs += performance.now() - t;
        const problems = mergeProblems(keepProblems(manifest, reparsed), walkProblems, update.problems);
        t = performance.now();
        const saved = await saveQuietly(options.cacheDir, index, listing.files, problems, log);
        timings.saveMs = performance.now() - t;
        timings.totalMs = performance.now() - started;
        return {
          index,
          state: 'updated',
          reason: `${touched.length} file(s) changed since the snapshot`,
          problems,
          changedFiles: touched,
          saved,
          timings,
        };
      }
      reason = cached.reason;
      log(`index-cache: ${cached.reason}; setting it aside and rebuilding`);
      await setAsideQuietly(options.cacheDir, log);
    } else {
      reason = `${touched.length} of ${listing.files.length} files changed`;
    }
  }

  let t = performance.now();
  const corpus = await readCorpus(options.corpusDir, { onProgress: options.onProgress, limits: options.corpusLimits });
  timings.readMs += performance.now() - t;
  t = performance.now();
  const index = buildIndex(corpus.articles);
  timings.indexMs += performance.now() - t;
  t = performance.now();
  const saved = await saveQuietly(options.cacheDir, index, corpus.files, corpus.problems, log);
  timings.saveMs = performance.now() - t;
  timings.totalMs = performance.now() - started;
  return { index, state: 'rebuilt', reason: reason || 'no snapshot yet', problems: corpus.problems, changedFiles: [], saved, timings };
}

/** Removes the articles of the touched files and adds those of the changed ones; refreshes tables. */
async function updateIndex(
  index: ArchiveIndex,
  corpusDir: string,
  touched: Set<string>,
  changed: string[],
  limits: Partial<CorpusLimits> | undefined,
): Promise<{ problems: Problem[] }> {
  const stale: string[] = [];
  for (const article of index.articles.values()) if (touched.has(article.file)) stale.push(article.id);
  index.removeArticles(stale);
  const parsed = await parseCorpusFiles(corpusDir, changed, { limits, keepDuplicates: true });
  // The same first-in-path-order rule as a rebuild: an earlier file's copy displaces an indexed one.
  const resolved = resolveDuplicateIds(parsed.articles, (id) => index.articles.get(id)?.file);
  index.removeArticles(resolved.displace);
  index.addArticles(resolved.add);
  index.refresh();
  return { problems: [...parsed.problems, ...resolved.problems] };
}

/** Parse problems recorded in the manifest for files that did not change. */
function keepProblems(manifest: SnapshotManifest, touched: Set<string>): Problem[] {
  return (manifest.problems ?? []).filter((p) => !touched.has(p.file));
}

function problemKey(p: Problem): string {
  return `${p.file}\u0000${p.line ?? ''}\u0000${p.message}`;
}

/** Problems from several sources, each once, sorted by file then line. */
function mergeProblems(...lists: Problem[][]): Problem[] {
  const seen = new Map<string, Problem>();
  for (const list of lists) for (const p of list) seen.set(problemKey(p), p);
  return [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
}

async function saveQuietly(cacheDir: string, index: ArchiveIndex, files: CorpusFile[], problems: Problem[], log: (line: string) => void): Promise<boolean> {
  try {
    await writeSnapshot(cacheDir, index, files, problems);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    log(`index-cache: could not save the snapshot in ${cacheDir} (${code}); serving from memory, the next start will rebuild`);
    return false;
  }
}

async function setAsideQuietly(cacheDir: string, log: (line: string) => void): Promise<void> {
  try {
    await setAsideCache(cacheDir);
  } catch (error) {
    log(`index-cache: could not set the old snapshot aside (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
