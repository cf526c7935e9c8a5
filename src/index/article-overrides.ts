import type { Article } from '../corpus/article.js';
import { isPublished } from '../corpus/publication.js';

/**
 * Writes made through the API, as the index sees them: each id they decide (a
 * put or a takedown) is theirs, whatever the corpus files say about it. The
 * journal implements it (and a database store can). Numbered changes let a
 * commit of the index cache say how far it got.
 */
export interface ArticleOverrides {
  /** Identity of the log: a commit that applied another log's changes is stale. */
  readonly epoch: string;
  /** Number of the last change. */
  readonly lastSeq: number;
  /** True when the log decides `id` (a corpus article with that id is ignored). */
  decides(id: string): boolean;
  /** Ids whose latest change is newer than `seq`. */
  changedSince(seq: number): string[];
  /**
   * The ids of the changes after `seq`, in order, at most `limit` of them, and
   * the number of the last change they cover: to apply a long run of changes in steps.
   */
  changesAfter(seq: number, limit: number): { ids: string[]; upTo: number };
  /** Ids whose latest change is a put of a draft or embargoed article: looked at again at every start. */
  gatedIds(): string[];
  /** The article of `id` when its latest change is a put; null for a takedown or an unknown id. */
  articleOf(id: string): Article | null;
  /** Every id whose latest change is a put, in change order. */
  putIds(): string[];
  /** The number of the latest change of `id`, if any. */
  seqOf?(id: string): number | undefined;
  /** Drops what is kept in memory of these ids' latest articles (they have been applied). */
  forget?(ids: Iterable<string>): void;
}

/** The `file` of an article written through the API (never a corpus path: those have no parentheses at the start). */
export const API_FILE = '(api)';

/** What becomes of an article: indexed, held back (draft or embargo), or ignored (the API decides its id). */
export type Admission = 'index' | 'hold' | 'skip';

/** Where a corpus article goes, given the API's writes and the time. */
export function admitCorpusArticle(
  article: Article,
  overrides: ArticleOverrides | undefined,
  nowMs: number,
): Admission {
  if (overrides?.decides(article.id)) return 'skip';
  return isPublished(article, nowMs) ? 'index' : 'hold';
}

/** The filter a corpus read goes through: true for an article to index; drafts and embargoes go into `held`. */
export function corpusAdmitter(
  overrides: ArticleOverrides | undefined,
  now: () => number,
  held: Article[],
): (article: Article) => boolean {
  return (article) => {
    const fate = admitCorpusArticle(article, overrides, now());
    if (fate === 'hold') held.push(article);
    return fate === 'index';
  };
}

/** The latest articles the API wrote for `ids` (takedowns have none), sorted into those readers may see and those held. */
export function writtenArticles(
  overrides: ArticleOverrides,
  ids: Iterable<string>,
  nowMs: number,
): { publish: Article[]; hold: Article[] } {
  const publish: Article[] = [];
  const hold: Article[] = [];
  for (const id of ids) {
    const article = overrides.articleOf(id);
    if (article) (isPublished(article, nowMs) ? publish : hold).push(article);
  }
  return { publish, hold };
}

/** Corpus files holding held articles (drafts, embargoes), read again at every start; the API's held articles are the journal's. */
export function heldFilesOf(held: Iterable<Article>): string[] {
  const files = new Set<string>();
  for (const article of held) if (article.file !== API_FILE) files.add(article.file);
  return [...files];
}
