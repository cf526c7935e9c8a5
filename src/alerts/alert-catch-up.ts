import type { Article } from '../corpus/article.js';

/** What a start's catch-up reads of the journal (see `AlertService.catchUp`). */
export interface CatchUpJournal {
  lastSeq: number;
  changedSince(seq: number): string[];
  gatedIds(): string[];
  articleOf(id: string): Article | null;
}

/**
 * The articles to match again at a start: those the journal changed after `from` (published as they are
 * visible now, or withdrawn), and the embargoed articles released since the last matching at `matchedAt`
 * (the index keeps no embargo time: the journal's article has it). `articleOf` gives an id's visible
 * article, or null.
 */
export function changesToCatchUp(
  journal: CatchUpJournal,
  articleOf: (id: string) => Article | null,
  from: number,
  matchedAt: string | null,
): { published: Article[]; withdrawn: string[] } {
  const published = new Map<string, Article>();
  const withdrawn: string[] = [];
  for (const id of from < journal.lastSeq ? journal.changedSince(from) : []) {
    const article = articleOf(id);
    if (article) published.set(id, article);
    else withdrawn.push(id);
  }
  for (const id of journal.gatedIds()) {
    const publishAt = journal.articleOf(id)?.publishAt;
    const article = articleOf(id);
    if (article && publishAt !== undefined && matchedAt !== null && publishAt > matchedAt) published.set(id, article);
  }
  return { published: [...published.values()], withdrawn };
}
