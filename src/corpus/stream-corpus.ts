import type { Article, CorpusFile, Problem } from './article.js';
import { withCorpusLimits, type CorpusLimits } from './corpus-limits.js';
import { parseArticleFile } from './parse-article-file.js';
import { fingerprint } from './read-corpus.js';
import { readCorpusFile } from './read-corpus-file.js';
import { walkCorpus } from './walk-corpus.js';

/** One corpus file as the streaming reader gives it. */
export interface StreamedFile {
  /** Corpus-relative posix path. */
  path: string;
  /** Its fingerprint; null when it could not be read (then `problems` says why). */
  file: CorpusFile | null;
  /** Its articles in file order (ids not yet checked against other files). */
  articles: Article[];
  problems: Problem[];
  /** Files done (from 1) and found. */
  done: number;
  total: number;
}

/**
 * Reads a corpus one file at a time, in sorted path order: each file's
 * fingerprint, articles and problems, so that an archive larger than memory can
 * be indexed as it is read. The first item carries the listing's problems
 * (temp files, unsupported extensions…) with `path` "" and no articles.
 * Files are read as `readCorpus` reads them (regular files only, within the
 * size limit). Throws like `readCorpus` for a missing corpus folder.
 */
export async function* streamCorpus(corpusDir: string, limits?: Partial<CorpusLimits>): AsyncGenerator<StreamedFile> {
  const full = withCorpusLimits(limits);
  const { paths, problems } = await walkCorpus(corpusDir, full);
  yield { path: '', file: null, articles: [], problems, done: 0, total: paths.length };
  for (const [index, relPath] of paths.entries()) {
    const read = await readCorpusFile(corpusDir, relPath, full);
    const done = index + 1;
    if (!read.ok) {
      yield { path: relPath, file: null, articles: [], problems: [read.problem], done, total: paths.length };
      continue;
    }
    const result = parseArticleFile(relPath, read.content);
    yield {
      path: relPath,
      file: fingerprint(relPath, read.content, read.stamp),
      articles: result.articles,
      problems: result.problems,
      done,
      total: paths.length,
    };
  }
}
