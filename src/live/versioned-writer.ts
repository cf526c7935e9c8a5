import type { Article } from '../corpus/article.js';
import type { ArchiveWriter } from './archive-writer.js';
import type { JournalChange } from './journal.js';
import type { VersionHistory } from './version-history.js';
import { contentChanged } from './corpus-versions.js';

/** Where a versioned writer finds what an id holds now. */
export interface CurrentArticles {
  /** The current article of `id` (published or held), or null when none. */
  article(id: string): Article | null;
  /** When that article became current (ISO 8601), when known. */
  since(id: string): string | null;
}

/**
 * A writer that keeps what each change replaces: before a put that changes an
 * article, its current version goes to `history`; before a takedown, the
 * current version and the takedown (which ends the history). Both are durable
 * before the change itself is written, so no version is lost to a crash between.
 */
export function versionedWriter(
  writer: ArchiveWriter,
  history: VersionHistory,
  current: CurrentArticles,
): ArchiveWriter {
  const keepReplaced = (changes: readonly JournalChange[]) => keepVersionsReplaced(history, current, changes);
  return {
    ...writer,
    async write(changes) {
      await keepReplaced(changes);
      return writer.write(changes);
    },
    async append(changes) {
      await keepReplaced(changes);
      return writer.append(changes);
    },
  };
}

/**
 * Keeps, durably, what `changes` replace (resolves once on disk): for a put
 * that changes an article, its current version; for a takedown of a live
 * article, that version and the end of its history. A put over nothing keeps nothing.
 */
export function keepVersionsReplaced(
  history: VersionHistory,
  current: CurrentArticles,
  changes: readonly JournalChange[],
): Promise<void> {
  const replaced = [];
  for (const change of changes) {
    const previous = current.article(change.id);
    const takedown = change.op === 'delete';
    // A takedown of an id with no article (a retried one) has nothing to end.
    if (takedown ? previous !== null : previous !== null && contentChanged(previous, change.article))
      replaced.push({ id: change.id, previous, since: current.since(change.id), takedown });
  }
  return history.keepReplaced(replaced);
}
