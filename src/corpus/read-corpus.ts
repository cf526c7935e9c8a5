/**
 * The corpus reader's I/O edge: walks a corpus folder, reads and fingerprints
 * each article file, and parses it with the pure `parseArticleFile`.
 */

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article, CorpusFile, Problem } from './article.js';
import { dropDuplicateArticles } from './drop-duplicate-articles.js';
import { parseArticleFile } from './parse-article-file.js';
import { comparePaths, describeFsError, walkCorpus } from './walk-corpus.js';

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

/** The fingerprint of one file's bytes. */
export function fingerprint(relPath: string, content: Buffer, mtimeMs: number): CorpusFile {
  return { path: relPath, size: content.length, hash: createHash('sha256').update(content).digest('hex'), mtimeMs };
}

/** A corpus file's bytes and modification time, or the problem reading it. */
export type ReadResult = { ok: true; content: Buffer; mtimeMs: number } | { ok: false; problem: Problem };

/** Reads one corpus file (corpus-relative posix path); a failure is a problem, never thrown. */
export async function readCorpusFile(corpusDir: string, relPath: string): Promise<ReadResult> {
  try {
    const file = path.join(corpusDir, ...relPath.split('/'));
    // Stat before reading: a write between the two makes the recorded time older
    // than the content, which only causes an extra hash next time, never a missed change.
    const { mtimeMs } = await stat(file);
    return { ok: true, content: await readFile(file), mtimeMs };
  } catch (error) {
    return { ok: false, problem: { file: relPath, message: `unreadable file: ${describeFsError(error)}` } };
  }
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
  const { paths, problems } = await walkCorpus(corpusDir);
  const files: CorpusFile[] = [];
  const parsed: Article[] = [];

  // One file at a time: the largest corpus file (Reuters, 20 MB) is held once,
  // and the whole reference corpus (21k articles) still reads in about two seconds.
  for (const [index, relPath] of paths.entries()) {
    const read = await readCorpusFile(corpusDir, relPath);
    if (read.ok) {
      files.push(fingerprint(relPath, read.content, read.mtimeMs));
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
export async function listCorpusFiles(corpusDir: string): Promise<CorpusFile[]> {
  const { paths } = await walkCorpus(corpusDir);
  const files: CorpusFile[] = [];
  for (const relPath of paths) {
    const read = await readCorpusFile(corpusDir, relPath);
    if (read.ok) files.push(fingerprint(relPath, read.content, read.mtimeMs));
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

/**
 * Compares the corpus with earlier fingerprints without reading every file: a
 * file whose size and modification time are those recorded, and that was last
 * modified well before `recordedAt` (so a later write in the same clock tick
 * cannot hide), keeps its recorded hash, as git's index does; any other file is
 * read and hashed. Throws like `readCorpus` for a missing folder.
 */
export async function checkCorpus(
  corpusDir: string,
  previous: readonly CorpusFile[],
  recordedAt: number,
  onProgress?: (done: number, total: number) => void,
): Promise<CorpusCheck> {
  const { paths, problems } = await walkCorpus(corpusDir);
  const before = new Map(previous.map((f) => [f.path, f]));
  const files: CorpusFile[] = [];
  const changed: string[] = [];
  // All stats at once: the thread pool overlaps them (a few thousand files in tens of ms).
  const stats = await Promise.all(paths.map((relPath) => stat(path.join(corpusDir, ...relPath.split('/'))).catch(() => null)));
  for (const [index, relPath] of paths.entries()) {
    const old = before.get(relPath);
    // Unreadable when stat failed: read below, which reports it.
    const mtimeMs = stats[index]?.mtimeMs ?? NaN;
    const size = stats[index]?.size ?? NaN;
    if (old && old.mtimeMs === mtimeMs && old.size === size && mtimeMs < recordedAt - 2000) {
      files.push(old);
    } else {
      const read = await readCorpusFile(corpusDir, relPath);
      if (read.ok) {
        const file = fingerprint(relPath, read.content, read.mtimeMs);
        files.push(file);
        if (!old || old.hash !== file.hash || old.size !== file.size) changed.push(relPath);
      } else {
        problems.push(read.problem);
      }
    }
    onProgress?.(index + 1, paths.length);
  }
  const now = new Set(files.map((f) => f.path));
  const removed = previous.filter((f) => !now.has(f.path)).map((f) => f.path);
  return { files, changed, removed, problems: sortProblems(problems) };
}

/**
 * Reads and parses just the given corpus-relative posix paths (in sorted order,
 * whatever order they are given in), for re-indexing changed files. A path that
 * cannot be read (deleted since, unreadable) is a problem; repeated ids are
 * checked among these files only.
 */
export async function parseCorpusFiles(
  corpusDir: string,
  relPaths: Iterable<string>,
): Promise<{ articles: Article[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const parsed: Article[] = [];
  for (const relPath of [...new Set(relPaths)].sort(comparePaths)) {
    const read = await readCorpusFile(corpusDir, relPath);
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    const result = parseArticleFile(relPath, read.content);
    parsed.push(...result.articles);
    problems.push(...result.problems);
  }
  const unique = dropDuplicateArticles(parsed);
  problems.push(...unique.problems);
  return { articles: unique.articles, problems: sortProblems(problems) };
}
