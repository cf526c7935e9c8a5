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
 * many (the segment a bulk import's step added): first each article's
 * candidates that the quick checks decide (`AlertMatcher.quickPart`), then
 * each alert left to the search run once over that index, which finds all the
 * step's articles it matches at once (far cheaper than one index and one
 * search per article), kept for the articles it was left for; results at the end.
 */
export class ChangeMatching {
  private next = 0;
  private readonly batch: boolean;
  /** Alert → the articles whose verdict was left to its search. */
  private readonly deferred = new Map<string, Set<string>>();
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
      const article = this.articles[this.next++]!;
      const { matches, deferred } = this.matcher.quickPart(article);
      if (matches.length) this.found.set(article.id, matches);
      for (const alertId of deferred) {
        let ids = this.deferred.get(alertId);
        if (!ids) this.deferred.set(alertId, (ids = new Set()));
        ids.add(article.id);
      }
      if (performance.now() >= deadline) return [];
    }
    this.alertList ??= [...this.deferred.keys()];
    while (this.alertList.length > 0) {
      const alertId = this.alertList.pop()!;
      const left = this.deferred.get(alertId)!;
      for (const { articleId, snippet } of this.matcher.matchIndex(alertId, this.index!)) {
        if (!left.has(articleId)) continue;
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
