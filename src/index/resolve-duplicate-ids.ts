/**
 * The duplicate-id rule when an index is updated rather than rebuilt, so that
 * both give the same articles: among articles with one id, the one in the first
 * file in sorted path order (then the first in that file) is indexed, and each
 * other is a problem line `duplicate article id "x" (first seen in a.json)`.
 */

import type { Article, Problem } from '../corpus/article.js';
import { comparePaths } from '../corpus/walk-corpus.js';

/** What {@link resolveDuplicateIds} decided. */
export interface DuplicateResolution {
  /** Parsed articles to add to the index. */
  add: Article[];
  /** Ids of indexed articles to remove first: a copy in an earlier file replaces them. */
  displace: string[];
  /** One problem per article not indexed, on its file. */
  problems: Problem[];
}

/** The problem line for a copy of `id` in `file` that lost to the copy in `firstFile`. */
function duplicateProblem(id: string, file: string, firstFile: string): Problem {
  return { kind: 'duplicate_id', file, message: `duplicate article id "${id}" (first seen in ${firstFile})` };
}

/** True for the problem lines this rule writes: their files must be looked at again at the next update. */
export function isDuplicateIdProblem(problem: Problem): boolean {
  return problem.kind === 'duplicate_id';
}

/**
 * Merges freshly parsed articles (all of them, repeated ids included, in sorted
 * path order then file order, as the corpus reader gives them) into an index
 * whose articles' files are given by `indexedFile(id)` (undefined when the id is
 * not indexed; the files being re-parsed must already be removed). A parsed
 * article from an earlier path than the indexed copy displaces it.
 *
 * For a copy that went away to be replaced by the next one, the caller must
 * re-parse, at each update, every file that had a duplicate-id problem (see
 * {@link isDuplicateIdProblem}) together with the changed files.
 */
export function resolveDuplicateIds(
  parsed: readonly Article[],
  indexedFile: (id: string) => string | undefined,
): DuplicateResolution {
  const winners = new Map<string, string>();
  const add = new Map<string, Article>();
  const displace: string[] = [];
  const problems: Problem[] = [];
  for (const article of parsed) {
    const firstFile = winners.get(article.id) ?? indexedFile(article.id);
    if (firstFile === undefined) {
      winners.set(article.id, article.file);
      add.set(article.id, article);
    } else if (!add.has(article.id) && comparePaths(article.file, firstFile) < 0) {
      // Only an indexed copy can come from a later path: parsed articles arrive in path order.
      displace.push(article.id);
      problems.push(duplicateProblem(article.id, firstFile, article.file));
      winners.set(article.id, article.file);
      add.set(article.id, article);
    } else {
      problems.push(duplicateProblem(article.id, article.file, firstFile));
    }
  }
  return { add: [...add.values()], displace, problems };
}

/**
 * The files to re-parse at an update besides the `touched` ones (changed or
 * removed): those with a duplicate-id problem from the last run that still
 * exist (in `files`). Re-parsing them lets a copy whose rival went away (or
 * arrived in an earlier path) be indexed, as a rebuild would.
 */
export function filesToRecheckForDuplicates(
  problems: readonly Problem[],
  touched: readonly string[],
  files: readonly { path: string }[],
): string[] {
  const skip = new Set(touched);
  const present = new Set(files.map((file) => file.path));
  const recheck = new Set<string>();
  for (const problem of problems) {
    if (isDuplicateIdProblem(problem) && !skip.has(problem.file) && present.has(problem.file))
      recheck.add(problem.file);
  }
  return [...recheck];
}
