import { performance } from 'node:perf_hooks';
import type { Article } from '../corpus/article.js';
import type { ArchiveIndex } from '../index/archive-index.js';
import type { AlertMatch, AlertMatcher } from './alert-matcher.js';

/** The articles of a change, as far as they are matched: each with the alerts it matches. */
export interface MatchedArticle {
  article: Article;
  matches: AlertMatch[];
}

/**
 * The matching of one change of visible articles, done a slice of time at a
 * time (`advance`), so a bulk import's step does not hold the event loop.
 * Without an index of the change's articles, or for one article: each article
 * on its own (`AlertMatcher.match`), results as they come. With an index of
 * many (the segment a bulk import's step added): first the union of the
 * articles' candidate alerts, then each candidate's search run once over that
 * index, which finds all the step's articles it matches at once (far cheaper
 * than one index and one search per article); results at the end.
 */
export class ChangeMatching {
  private next = 0;
  private readonly batch: boolean;
  private readonly alerts = new Set<string>();
  private alertList: string[] | null = null;
  private readonly found = new Map<string, AlertMatch[]>();
  /** Articles matched so far (for the metrics). */
  matchedArticles = 0;

  constructor(
    private readonly matcher: AlertMatcher,
    readonly articles: readonly Article[],
    private readonly index: ArchiveIndex | undefined,
  ) {
    this.batch = index !== undefined && articles.length > 1;
  }

  /** True once every article is matched. */
  get done(): boolean {
    return this.batch
      ? this.alertList !== null && this.alertList.length === 0 && this.next > this.articles.length
      : this.next >= this.articles.length;
  }

  /** Matches until `deadline` (a `performance.now()` time; at least one step) and returns the articles finished. */
  advance(deadline: number): MatchedArticle[] {
    if (!this.batch) {
      const out: MatchedArticle[] = [];
      while (this.next < this.articles.length) {
        const article = this.articles[this.next++]!;
        out.push({
          article,
          matches: this.matcher.match(article, undefined, this.articles.length === 1 ? this.index : undefined),
        });
        this.matchedArticles++;
        if (performance.now() >= deadline) break;
      }
      return out;
    }
    while (this.next < this.articles.length) {
      for (const id of this.matcher.candidatesOf(this.articles[this.next++]!)) this.alerts.add(id);
      if (performance.now() >= deadline) return [];
    }
    this.alertList ??= [...this.alerts];
    while (this.alertList.length > 0) {
      const alertId = this.alertList.pop()!;
      for (const { articleId, snippet } of this.matcher.matchIndex(alertId, this.index!)) {
        let list = this.found.get(articleId);
        if (!list) this.found.set(articleId, (list = []));
        list.push({ alertId, snippet });
      }
      if (this.alertList.length > 0 && performance.now() >= deadline) return [];
    }
    this.next++; // past the end: done
    this.matchedArticles = this.articles.length;
    return this.articles.map((article) => ({ article, matches: this.found.get(article.id) ?? [] }));
  }
}
