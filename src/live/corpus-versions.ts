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

/**
 * Keeps, after corpus files changed, the earlier version of each of their
 * articles (`before`) whose content the change altered (`after`: the article of
 * that id now); an article whose file was removed is not a new version.
 */
export async function keepCorpusVersions(
  history: VersionHistory | undefined,
  before: readonly Article[],
  after: (id: string) => Article | undefined,
): Promise<void> {
  if (!history?.writable) return;
  const replaced = [];
  for (const previous of before) {
    const now = after(previous.id);
    if (now && contentChanged(previous, now))
      replaced.push({ id: previous.id, previous, since: null, takedown: false });
  }
  await history.keepReplaced(replaced);
}
