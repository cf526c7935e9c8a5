/**
 * The corpus reader's I/O edge: walks a corpus folder, reads and fingerprints
 * each article file, and parses it with the pure `parseArticleFile`.
 */

import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article, CorpusFile, Problem } from './article.js';
import { withCorpusLimits, type CorpusLimits } from './corpus-limits.js';
import { dropDuplicateArticles } from './drop-duplicate-articles.js';
import { isStampTrusted } from './is-stamp-trusted.js';
import { parseArticleFile } from './parse-article-file.js';
import { readCorpusFile, type FileStamp } from './read-corpus-file.js';
import { comparePaths, walkCorpus } from './walk-corpus.js';

/** Options for {@link readCorpus}. */
export interface ReadCorpusOptions {
  /**
   * Called after each article file is read (and parsed, when it is parsed):
   * `done` counts files from 1 to `total`, the number of article files found.
   */
  onProgress?: (done: number, total: number) => void;
  /**
   * Corpus-relative posix paths to parse; other files are still listed and hashed
   * (`files` stays complete) but not parsed. For incremental re-indexing. Default: parse all.
   */
  only?: ReadonlySet<string>;
  /** Size limit and symbolic-link rule; default {@link DEFAULT_CORPUS_LIMITS}. */
  limits?: Partial<CorpusLimits>;
}

/** What {@link readCorpus} found. */
export interface CorpusContents {
  /** Articles in sorted path order, then in file order; ids unique. */
  articles: Article[];
  /** Every problem, sorted by file path (stable within a file). */
  problems: Problem[];
  /** Every readable article file, sorted by path. */
  files: CorpusFile[];
}

/**
 * The fingerprint of one file's bytes. The stamp was taken before the read: a
 * write between the two makes the recorded times older than the content, which
 * only causes an extra hash next time, never a missed change.
 */
export function fingerprint(relPath: string, content: Buffer, stamp: FileStamp): CorpusFile {
  return { path: relPath, size: content.length, hash: createHash('sha256').update(content).digest('hex'), ...stamp };
}

function sortProblems(problems: Problem[]): Problem[] {
  // Array.prototype.sort is stable, so problems of one file keep their order.
  return problems.sort((a, b) => comparePaths(a.file, b.file));
}

/**
 * Reads the whole corpus under `corpusDir` (see `walkCorpus` for which files
 * count): the parsed articles, every problem, and every readable article file's
 * fingerprint. Bad input is reported in `problems`, never thrown; only a missing
 * or non-folder `corpusDir` throws (SearchError `corpus_not_found` / `corpus_not_a_folder`).
 *
 * Repeated article ids keep the first article in sorted path order. With `only`,
 * that check covers only the parsed files: the caller merging them with articles
 * kept from an earlier run must check across both. An unreadable file has no
 * fingerprint (it appears in `files` once it can be read).
 */
export async function readCorpus(corpusDir: string, options: ReadCorpusOptions = {}): Promise<CorpusContents> {
  const limits = withCorpusLimits(options.limits);
  const { paths, problems } = await walkCorpus(corpusDir, limits);
  const files: CorpusFile[] = [];
  const parsed: Article[] = [];

  // One file at a time: the largest corpus file (Reuters, 20 MB) is held once,
  // and the whole reference corpus (21k articles) still reads in about two seconds.
  for (const [index, relPath] of paths.entries()) {
    const read = await readCorpusFile(corpusDir, relPath, limits);
    if (read.ok) {
      files.push(fingerprint(relPath, read.content, read.stamp));
      if (options.only === undefined || options.only.has(relPath)) {
        const result = parseArticleFile(relPath, read.content);
        parsed.push(...result.articles);
        problems.push(...result.problems);
      }
    } else {
      problems.push(read.problem);
    }
    options.onProgress?.(index + 1, paths.length);
  }

  const unique = dropDuplicateArticles(parsed);
  problems.push(...unique.problems);
  return { articles: unique.articles, problems: sortProblems(problems), files };
}

/**
 * The fingerprints (path, size in bytes, sha256 hex) of every readable article
 * file under `corpusDir`, sorted by path, without parsing. Problems (unreadable
 * files, temp files…) are left to {@link readCorpus}. Throws like `readCorpus`.
 */
export async function listCorpusFiles(corpusDir: string, limits?: Partial<CorpusLimits>): Promise<CorpusFile[]> {
  const full = withCorpusLimits(limits);
  const { paths } = await walkCorpus(corpusDir, full);
  const files: CorpusFile[] = [];
  for (const relPath of paths) {
    const read = await readCorpusFile(corpusDir, relPath, full);
    if (read.ok) files.push(fingerprint(relPath, read.content, read.stamp));
  }
  return files;
}

/** Fingerprints of a corpus checked against earlier ones, and the problems found on the way. */
export interface CorpusCheck {
  /** Every readable article file, sorted by path. */
  files: CorpusFile[];
  /** Files added or whose content changed since `previous`. */
  changed: string[];
  /** Files of `previous` that are gone or unreadable now. */
  removed: string[];
  /** Listing problems (temp files, unsupported extensions…) and unreadable files. */
  problems: Problem[];
}

/** Options for {@link checkCorpus}. */
export interface CheckCorpusOptions {
  /** Re-hash every file, trusting no recorded time (`--verify`). Default false. */
  verify?: boolean;
  /** Size limit and symbolic-link rule; default {@link DEFAULT_CORPUS_LIMITS}. */
  limits?: Partial<CorpusLimits>;
  /** Called after each file is checked: files done, total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Compares the corpus with earlier fingerprints without reading every file: a
 * file whose stat says it cannot have changed since it was hashed (see
 * `isStampTrusted`: size, modification and change times, inode, and the racy
 * window) keeps its recorded fingerprint, as git's index does; any other file,
 * or every file with `verify`, is read and hashed. Throws like `readCorpus` for
 * a missing folder.
 */
export async function checkCorpus(
  corpusDir: string,
  previous: readonly CorpusFile[],
  options: CheckCorpusOptions = {},
): Promise<CorpusCheck> {
  const limits = withCorpusLimits(options.limits);
  const { paths, problems } = await walkCorpus(corpusDir, limits);
  const before = new Map(previous.map((f) => [f.path, f]));
  const files: CorpusFile[] = [];
  const changed: string[] = [];
  // All stats at once: the thread pool overlaps them (a few thousand files in tens of ms).
  const stats = options.verify
    ? []
    : await Promise.all(paths.map((relPath) => stat(path.join(corpusDir, ...relPath.split('/'))).catch(() => null)));
  for (const [index, relPath] of paths.entries()) {
    const old = before.get(relPath);
    // No stat (failed, or verifying): read below, which reports an unreadable file.
    const current = stats[index];
    if (old && current && isStampTrusted(old, current)) {
      files.push(old);
    } else {
      const read = await readCorpusFile(corpusDir, relPath, limits);
      if (read.ok) {
        const file = fingerprint(relPath, read.content, read.stamp);
        files.push(file);
        if (!old || old.hash !== file.hash || old.size !== file.size) changed.push(relPath);
      } else {
        problems.push(read.problem);
      }
    }
    options.onProgress?.(index + 1, paths.length);
  }
  const now = new Set(files.map((f) => f.path));
  const removed = previous.filter((f) => !now.has(f.path)).map((f) => f.path);
  return { files, changed, removed, problems: sortProblems(problems) };
}

/**
 * Reads and parses just the given corpus-relative posix paths (in sorted order,
 * whatever order they are given in), for re-indexing changed files. A path that
 * cannot be read (deleted since, unreadable) is a problem; repeated ids are
 * checked among these files only, or, with `keepDuplicates`, all returned (in
 * path order, then file order) for the caller to resolve.
 */
export async function parseCorpusFiles(
  corpusDir: string,
  relPaths: Iterable<string>,
  options: { limits?: Partial<CorpusLimits>; keepDuplicates?: boolean } = {},
): Promise<{ articles: Article[]; problems: Problem[] }> {
  const full = withCorpusLimits(options.limits);
  const problems: Problem[] = [];
  const parsed: Article[] = [];
  for (const relPath of [...new Set(relPaths)].sort(comparePaths)) {
    const read = await readCorpusFile(corpusDir, relPath, full);
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    const result = parseArticleFile(relPath, read.content);
    parsed.push(...result.articles);
    problems.push(...result.problems);
  }
  if (options.keepDuplicates) return { articles: parsed, problems: sortProblems(problems) };
  const unique = dropDuplicateArticles(parsed);
  problems.push(...unique.problems);
  return { articles: unique.articles, problems: sortProblems(problems) };
}
