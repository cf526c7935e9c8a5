import type { Article } from '../corpus/article.js';
import type { VersionHistory } from './version-history.js';

/** The fields that make an article's content: a change of any of them is a new version (its file is not). */
const CONTENT_FIELDS = [
  'title',
  'date',
  'authors',
  'source',
  'section',
  'url',
  'tags',
  'paragraphs',
  'status',
  'publishAt',
] as const;

/** True when two articles differ in a field a reader sees (see {@link CONTENT_FIELDS}). */
export function contentChanged(before: Article, after: Article): boolean {
  return CONTENT_FIELDS.some((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null));
}

/** What keeps corpus versions: a version file, or a cluster worker's link to the primary that owns it. */
export type CorpusVersionKeeper = Pick<VersionHistory, 'writable' | 'currentHistory' | 'keepReplaced'>;

/**
 * Keeps, after corpus files changed, the earlier version of each of their
 * articles (`before`) whose content the change altered (`after`: the article of
 * that id now); an article whose file was removed is not a new version.
 */
export async function keepCorpusVersions(
  history: CorpusVersionKeeper | undefined,
  before: readonly Article[],
  after: (id: string) => Article | undefined,
): Promise<void> {
  if (!history?.writable) return;
  const changed = before.filter((previous) => {
    const now = after(previous.id);
    return now !== undefined && contentChanged(previous, now);
  });
  await keepNewVersions(history, changed);
}

/**
 * Keeps `previous` articles as earlier versions of their ids, except one equal
 * to the last version kept of its id: kept already (a start cut short before
 * its commit, a write of the id that kept it first, every cluster worker
 * reporting the same corpus change).
 */
export async function keepNewVersions(history: CorpusVersionKeeper, previous: readonly Article[]): Promise<void> {
  const replaced = [];
  for (const article of previous) {
    const last = history.currentHistory(article.id).versions.at(-1)?.article;
    if (last && !contentChanged(last, article)) continue;
    replaced.push({ id: article.id, previous: article, since: null, takedown: false });
  }
  await history.keepReplaced(replaced);
}
