import { getHeapStatistics } from 'node:v8';
import { SearchError } from '../errors.js';
import type { Article, CorpusFile, Problem } from '../corpus/article.js';
import { streamCorpus } from '../corpus/stream-corpus.js';
import type { CorpusLimits } from '../corpus/corpus-limits.js';
import type { IndexWriter } from './index-writer.js';

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

/** Options of {@link buildFromCorpus} (the buffer's bound is the writer's: `IndexWriterOptions.bufferParagraphs`). */
export interface BuildOptions {
  onProgress?: (progress: BuildProgress) => void;
  /** File size limit and symbolic-link rule for reading the corpus. */
  limits?: Partial<CorpusLimits>;
  /** Whether a corpus article goes into the index (default: all); one that does not is the caller's to keep or drop. */
  admit?: (article: Article) => boolean;
  /** Articles indexed after the corpus's (the API's writes); their ids are not the corpus's. */
  extra?: () => Iterable<Article>;
}

/** What a build produced (its segments are the writer's). */
export interface BuiltCorpus {
  files: CorpusFile[];
  problems: Problem[];
}

/**
 * Indexes a corpus as a stream into `writer` (a new, empty one): each file is
 * read and parsed in turn and its articles handed to the writer, which
 * flushes its buffer as a segment whenever it holds `bufferParagraphs`
 * paragraphs (in worker threads when it writes files, while reading goes on)
 * and merges full tiers of segments in the background, so memory is bounded
 * by the buffer, not the archive. Repeated ids keep the first article in
 * sorted path order (a problem for each other one). Yields to the event loop
 * after every file, so a server stays responsive. Ends with the writer's
 * reader published (`writer.reader`), nothing committed.
 */
export async function buildFromCorpus(
  corpusDir: string,
  writer: IndexWriter,
  options: BuildOptions = {},
): Promise<BuiltCorpus> {
  const files: CorpusFile[] = [];
  const problems: Problem[] = [];
  const firstFile = new Map<string, string>();
  let articles = 0;
  let paragraphs = 0;

  const take = (article: Article) => {
    writer.addNewArticles([article]);
    articles++;
    paragraphs += article.paragraphs.length;
  };
  const afterBatch = async () => {
    checkMemory(writer.bufferParagraphs);
    await writer.flushIfFull();
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
        problems.push({
          kind: 'duplicate_id',
          file: article.file,
          message: `duplicate article id "${article.id}" (first seen in ${seenIn})`,
        });
        continue;
      }
      firstFile.set(article.id, article.file);
      if (options.admit && !options.admit(article)) continue;
      take(article);
    }
    await afterBatch();
    options.onProgress?.({
      filesDone: done,
      filesTotal: total,
      articles,
      paragraphs,
      segments: writer.segments.length,
      merging: writer.isMerging,
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  let sinceYield = 0;
  for (const article of options.extra?.() ?? []) {
    take(article);
    if (++sinceYield % 1000 === 0) await afterBatch();
  }
  await writer.finishBuild();
  options.onProgress?.({
    filesDone: done,
    filesTotal: total,
    articles,
    paragraphs,
    segments: writer.segments.length,
    merging: false,
  });
  return { files, problems };
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
