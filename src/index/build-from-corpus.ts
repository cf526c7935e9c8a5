import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { SearchError } from '../errors.js';
import type { Article, CorpusFile, Problem } from '../corpus/article.js';
import { streamCorpus } from '../corpus/stream-corpus.js';
import type { CorpusLimits } from '../corpus/corpus-limits.js';
import type { SegmentSink } from './segment-sink.js';
import type { IndexCache } from './index-cache.js';
import { selectMerge } from './segments/merge-policy.js';
import { mergeInWorker } from './segments/merge-worker.js';
import { flushInWorker } from './segments/build-segment.js';
import type { Segment } from './segments/segment-reader.js';

/** Progress of a build, reported after each corpus file. */
export interface BuildProgress {
  filesDone: number;
  filesTotal: number;
  articles: number;
  paragraphs: number;
  /** Segments written so far (flushed and merged). */
  segments: number;
  /** True while a merge runs in the background. */
  merging: boolean;
}

/** Options of {@link buildFromCorpus}. */
export interface BuildOptions {
  /**
   * Paragraphs held in the in-memory buffer before it is written out as a
   * segment: what bounds a build's memory (about 3–4 kB a paragraph while it is
   * inverted). Integer ≥ 1; default 100,000.
   */
  bufferParagraphs?: number;
  onProgress?: (progress: BuildProgress) => void;
  /** One line per notable event. */
  log?: (line: string) => void;
  /** File size limit and symbolic-link rule for reading the corpus. */
  limits?: Partial<CorpusLimits>;
  /** Whether a corpus article goes into the index (default: all); one that does not is the caller's to keep or drop. */
  admit?: (article: Article) => boolean;
  /** Articles indexed after the corpus's (the API's writes); their ids are not the corpus's. */
  extra?: () => Iterable<Article>;
}

/**
 * Buffers written out at once by worker threads (while the main thread reads on):
 * two use both cores of a small machine; each holds its buffer while it inverts it.
 */
const FLUSH_WORKERS = 2;

/** Default buffer bound, in paragraphs. */
export const DEFAULT_BUFFER_PARAGRAPHS = 100_000;

/** What a build produced. */
export interface BuiltCorpus {
  segments: Segment[];
  files: CorpusFile[];
  problems: Problem[];
}

/**
 * Indexes a corpus as a stream: each file is read and parsed in turn, its
 * articles go into a buffer, and when the buffer holds `bufferParagraphs`
 * paragraphs it is written out as a segment and emptied, so memory is bounded
 * by the buffer, not the archive. With a cache folder, buffers are inverted and
 * written by worker threads ({@link FLUSH_WORKERS} at once) while reading goes
 * on; without one, in this thread through `sink`. With a cache folder, full
 * tiers of segments are merged in a worker thread while reading goes on (one
 * merge at a time), keeping the number of segments logarithmic. Repeated ids
 * keep the first article in sorted path order (a problem for each other one).
 * Yields to the event loop after every file, so a server stays responsive.
 */
export async function buildFromCorpus(corpusDir: string, sink: SegmentSink, cache: IndexCache | null, options: BuildOptions = {}): Promise<BuiltCorpus> {
  const limit = options.bufferParagraphs ?? DEFAULT_BUFFER_PARAGRAPHS;
  let segments: Segment[] = [];
  const files: CorpusFile[] = [];
  const problems: Problem[] = [];
  const firstFile = new Map<string, string>();
  let buffer: Article[] = [];
  let buffered = 0;
  let articles = 0;
  let paragraphs = 0;
  let merge: Promise<void> | null = null;
  let mergeError: unknown = null;

  const startMerge = () => {
    if (!cache || merge) return;
    const sources = chooseMerge(segments);
    if (!sources) return;
    const name = cache.newSegmentName();
    merge = mergeInWorker(mergeSources(cache, sources), path.join(cache.dir, name)).then(
      () => {
        // The merged segment takes the place of its first source; the others drop out.
        const merged = cache.open(name);
        segments = replaceMerged(segments, sources, merged);
        options.log?.(`merged ${sources.length} segments into ${name} (${merged.articleCount} articles)`);
        merge = null;
        startMerge();
      },
      (error: unknown) => {
        mergeError = error;
        merge = null;
      },
    );
  };

  // Buffers being written out by worker threads, oldest first: their segments join the list in this order.
  const inFlight: { name: string; done: Promise<number> }[] = [];
  const takeOldest = async () => {
    const { name, done } = inFlight.shift()!;
    await done;
    segments.push(cache!.open(name));
    startMerge();
  };
  const flush = async (last = false) => {
    if (buffer.length === 0) return;
    // A small last buffer (or a whole small corpus) is not worth starting a thread for.
    if (cache && !(last && buffered < limit / 4)) {
      const name = cache.newSegmentName();
      inFlight.push({ name, done: flushInWorker(buffer, path.join(cache.dir, name)) });
      // A rejection is awaited in turn; until then it must not count as unhandled.
      inFlight[inFlight.length - 1]!.done.catch(() => {});
      while (inFlight.length >= FLUSH_WORKERS) await takeOldest();
    } else {
      segments.push(sink.write(buffer));
    }
    buffer = [];
    buffered = 0;
  };

  const take = (article: Article) => {
    buffer.push(article);
    buffered += article.paragraphs.length;
    articles++;
    paragraphs += article.paragraphs.length;
  };
  const afterBatch = async () => {
    checkMemory(limit);
    if (buffered >= limit) await flush();
    if (mergeError) throw mergeError;
  };

  let total = 0;
  let done = 0;
  for await (const item of streamCorpus(corpusDir, options.limits)) {
    problems.push(...item.problems);
    total = item.total;
    done = item.done;
    if (item.file) files.push(item.file);
    for (const article of item.articles) {
      const seenIn = firstFile.get(article.id);
      if (seenIn !== undefined) {
        problems.push({ kind: 'duplicate_id', file: article.file, message: `duplicate article id "${article.id}" (first seen in ${seenIn})` });
        continue;
      }
      firstFile.set(article.id, article.file);
      if (options.admit && !options.admit(article)) continue;
      take(article);
    }
    await afterBatch();
    options.onProgress?.({ filesDone: done, filesTotal: total, articles, paragraphs, segments: segments.length, merging: merge !== null });
    await new Promise((resolve) => setImmediate(resolve));
  }
  let sinceYield = 0;
  for (const article of options.extra?.() ?? []) {
    take(article);
    if (++sinceYield % 1000 === 0) await afterBatch();
  }
  while (inFlight.length > 0) await takeOldest();
  await flush(true);
  startMerge();
  while (merge) await merge;
  if (mergeError) throw mergeError;
  options.onProgress?.({ filesDone: done, filesTotal: total, articles, paragraphs, segments: segments.length, merging: false });
  return { segments, files, problems };
}

/** Share of V8's heap limit past which a build stops with a clear message instead of crashing. */
const HEAP_SHARE_LIMIT = 0.85;

/**
 * Throws a one-line `out_of_memory` error, saying what to do, when the heap is
 * nearly full: V8 would otherwise die with a stack dump and no advice.
 */
function checkMemory(bufferParagraphs: number): void {
  const heap = getHeapStatistics();
  if (heap.used_heap_size < heap.heap_size_limit * HEAP_SHARE_LIMIT) return;
  const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GB`;
  throw new SearchError(
    'out_of_memory',
    `out of memory while indexing: ${gb(heap.used_heap_size)} of the ${gb(heap.heap_size_limit)} heap limit in use. ` +
      `Lower the buffer (--buffer ${Math.max(1000, Math.floor(bufferParagraphs / 2))}, now ${bufferParagraphs}) or raise the heap (NODE_OPTIONS=--max-old-space-size=${Math.ceil((heap.heap_size_limit * 2) / 2 ** 20)}).`,
  );
}

/** The segments the merge policy would merge next, or null. */
export function chooseMerge(segments: readonly Segment[]): Segment[] | null {
  const chosen = selectMerge(segments.map((s) => ({ name: s.name, articles: s.articleCount, paragraphs: s.paragraphCount, deleted: s.deletedCount, bytes: s.byteSize })));
  return chosen ? segments.filter((s) => chosen.includes(s.name)) : null;
}

export function mergeSources(cache: IndexCache, sources: readonly Segment[]) {
  return sources.map((s) => ({ file: s.path ?? path.join(cache.dir, s.name), name: s.name, deleted: s.deletedCount > 0 ? s.deleted : null }));
}

/**
 * The list with the merged segment in the place of its first source and the
 * other sources dropped; the sources are closed (after `closeAfterMs`, when
 * readers that started before may still use them).
 */
export function replaceMerged(segments: readonly Segment[], sources: readonly Segment[], merged: Segment, closeAfterMs = 0): Segment[] {
  const at = segments.indexOf(sources[0]!);
  const out = segments.flatMap((s, i) => (i === at ? [merged] : sources.includes(s) ? [] : [s]));
  const close = () => {
    for (const s of sources) s.close();
  };
  if (closeAfterMs > 0) setTimeout(close, closeAfterMs).unref();
  else close();
  return out;
}

/**
 * Merges, one after another in a worker thread, what the merge policy asks for
 * (after an update added a segment or deleted articles); returns the new list.
 * The sources' deletions are dropped by the merge.
 */
export async function mergeAsPolicyAsks(cache: IndexCache, segments: Segment[], log?: (line: string) => void): Promise<Segment[]> {
  for (;;) {
    const sources = chooseMerge(segments);
    if (!sources) return segments;
    const name = cache.newSegmentName();
    await mergeInWorker(mergeSources(cache, sources), path.join(cache.dir, name));
    const merged = cache.open(name);
    segments = replaceMerged(segments, sources, merged);
    log?.(`merged ${sources.length} segments into ${name} (${merged.articleCount} articles)`);
  }
}
