import type { Article } from '../corpus/article.js';
import type { ArchiveIndex } from '../index/archive-index.js';
import { buildIndex } from '../index/index-writer.js';
import { parseQuery } from '../query/parse/parse-query.js';
import { buildArticleFilter } from '../query/execute/article-filter.js';
import { searchArchive } from '../query/search-archive.js';
import { MAX_TOTAL_HITS, withDefaults, type SearchParams } from '../query/search-params.js';
import { SearchError } from '../errors.js';
import type { AlertQuery } from './alert.js';
import { alertAnchors, alertRequirements, type TermFrequency } from './alert-anchors.js';
import { AlertCandidates } from './alert-candidates.js';
import { ArticleTokens, QuickCheck, type QuickVerdict } from './quick-check.js';

/** One alert an article matches, with the snippet of its best matching paragraph (escaped HTML with `<mark>`s). */
export interface AlertMatch {
  alertId: string;
  snippet: string;
}

/**
 * The search an alert stands for: its query and filters, as `GET /search` would
 * run them, with what a standing query needs: every word required
 * (`matchingStrategy=all`), no typo tolerance and no prefix on the last word
 * (an alert is not typed live; a typo "match" on one article would be noise),
 * no feedback; one hit with one snippet.
 */
export function alertSearchParams(query: AlertQuery): SearchParams {
  return withDefaults({
    q: query.q,
    from: query.from === null ? null : Date.parse(query.from),
    to: query.to === null ? null : Date.parse(query.to),
    source: query.source,
    section: query.section,
    author: query.author,
    tag: query.tag,
    matchingStrategy: 'all',
    typos: 'off',
    prefix: 'off',
    feedback: 'off',
    hitsPerPage: 1,
    snippetsPerArticle: 1,
  });
}

/**
 * Throws `SearchError('invalid_alert_q')` with the reason when `q` can never
 * select articles as an alert: nothing to look for (empty, only exclusions), or
 * every part ignored by the parser.
 */
export function checkAlertQuery(q: string): void {
  const parsed = parseQuery(q, { prefixLast: false });
  const positiveMeta = parsed.metaFilters.some((f) => !f.negated);
  if (parsed.clauses.length > 0 || positiveMeta) return;
  const reason = parsed.ignored.length
    ? `every part of it was ignored (${parsed.ignored.map((p) => `\`${p.slice(0, 60)}\``).join(', ')})`
    : 'it has no word, phrase or field to look for (only exclusions match every article)';
  throw new SearchError('invalid_alert_q', `\`q\` can never match as an alert: ${reason}.`);
}

/**
 * Matches articles against the saved searches: the candidates from the anchor
 * index (`AlertCandidates`), plus the alerts without anchors, then an exact
 * check of each candidate: the alert's search run by the engine itself on an
 * index of that one article. A match means the article would be a hit of that
 * search now (the query language's semantics, stemming, phrases, NEAR, fields and
 * filters, all as `GET /search` has them).
 */
export class AlertMatcher {
  private readonly candidates = new AlertCandidates();
  private readonly params = new Map<string, SearchParams>();
  /** Per alert: sets of terms an article must each share a term with (see `alertRequirements`). */
  private readonly requirements = new Map<string, string[][]>();
  /** Alerts checked against every article (no anchor terms). */
  private readonly unanchored = new Set<string>();
  /** Alerts whose exact check needs no search (see `QuickCheck`). */
  private readonly quick = new Map<string, QuickCheck>();
  /** Alerts with a date or metadata filter (`from`, `to`, `source`, `section`, `author`, `tag`). */
  private readonly filtered = new Set<string>();
  /** False: every exact check runs the search (to compare the two). */
  quickChecks = true;

  /** Number of alerts held. */
  get size(): number {
    return this.params.size;
  }

  /** Number of alerts checked against every article. */
  get unanchoredCount(): number {
    return this.unanchored.size;
  }

  /** Adds or replaces an alert; `frequency` ranks index terms for its anchors (from the live index). */
  put(id: string, query: AlertQuery, frequency: TermFrequency): void {
    this.drop(id);
    const params = alertSearchParams(query);
    this.params.set(id, params);
    const parsed = parseQuery(params.q, { prefixLast: false });
    const requirements = alertRequirements(parsed, frequency);
    if (requirements.length) this.requirements.set(id, requirements);
    const quick = QuickCheck.compile(parsed, query);
    if (quick) this.quick.set(id, quick);
    if (buildArticleFilterNeeded(params)) this.filtered.add(id);
    const anchors = alertAnchors(parsed, frequency);
    if (anchors) this.candidates.put(id, anchors);
    else this.unanchored.add(id);
  }

  drop(id: string): void {
    if (!this.params.delete(id)) return;
    this.requirements.delete(id);
    this.quick.delete(id);
    this.filtered.delete(id);
    this.candidates.drop(id);
    this.unanchored.delete(id);
  }

  /**
   * The ids of the alerts worth an exact check for `article` (a superset of
   * those it matches): those with an anchor among its terms (and those without
   * anchors), less those missing a term they need.
   */
  candidatesOf(article: Article, tokens: ArticleTokens = new ArticleTokens(article)): Set<string> {
    const terms = tokens.stemTerms();
    const ids = this.candidates.candidatesOf(terms);
    for (const id of this.unanchored) ids.add(id);
    for (const id of ids) {
      const requirements = this.requirements.get(id);
      if (requirements && !requirements.every((set) => set.some((t) => terms.has(t)))) ids.delete(id);
    }
    return ids;
  }

  /**
   * The articles of `index` (the articles of one change) that alert `alertId`
   * matches, each with its snippet: its search run once over them (at most
   * `MAX_TOTAL_HITS` articles, as a search pages).
   */
  matchIndex(alertId: string, index: ArchiveIndex): { articleId: string; snippet: string }[] {
    const params = this.params.get(alertId);
    if (!params) return [];
    const out: { articleId: string; snippet: string }[] = [];
    for (let page = 1; page <= MAX_TOTAL_HITS / 100; page++) {
      const response = searchArchive(index, { ...params, hitsPerPage: 100, page });
      for (const hit of response.hits)
        out.push({ articleId: hit.articleId, snippet: hit.snippets[0]?.html ?? hit.titleHtml });
      if (page >= response.totalPages) break;
    }
    return out;
  }

  /**
   * What the quick checks decide of `article` alone: the candidates they find
   * it matches, and the candidates only a search can decide (no quick check,
   * or only its headline matched), left to the caller (see `ChangeMatching`).
   */
  quickPart(article: Article): { matches: AlertMatch[]; deferred: string[] } {
    const tokens = new ArticleTokens(article);
    const matches: AlertMatch[] = [];
    const deferred: string[] = [];
    for (const alertId of this.candidatesOf(article, tokens)) {
      const verdict = this.quickVerdict(alertId, tokens);
      if (verdict === undefined) continue;
      if (verdict === null) deferred.push(alertId);
      else if (verdict.matched) matches.push({ alertId, snippet: verdict.snippet });
    }
    return { matches, deferred };
  }

  /** An alert's quick check of an article: undefined when the alert is gone, null when the search must decide. */
  private quickVerdict(alertId: string, tokens: ArticleTokens): QuickVerdict | undefined {
    if (!this.params.has(alertId)) return undefined;
    const quick = this.quickChecks ? this.quick.get(alertId) : undefined;
    return quick ? quick.run(tokens) : null;
  }

  /**
   * The alerts `article` matches, among `only` when given (default: every
   * candidate), in no particular order. Each candidate's quick check decides
   * when it can (see `QuickCheck`); the others run their search on an index of
   * this article alone: `given`, or one built when first needed.
   */
  match(article: Article, only?: Iterable<string>, given?: ArchiveIndex): AlertMatch[] {
    let tokens: ArticleTokens | null = only ? null : new ArticleTokens(article);
    const ids = only ?? this.candidatesOf(article, tokens!);
    const matches: AlertMatch[] = [];
    let index: ArchiveIndex | null = given ?? null;
    for (const alertId of ids) {
      const params = this.params.get(alertId);
      if (!params) continue;
      const verdict = this.quickVerdict(alertId, (tokens ??= new ArticleTokens(article)));
      if (verdict) {
        if (verdict.matched) matches.push({ alertId, snippet: verdict.snippet });
        continue;
      }
      index ??= buildIndex([article]);
      // The search's own date and metadata filters first: an article they refuse is no hit, whatever the query.
      if (this.filtered.has(alertId) && !buildArticleFilter(index, params)?.some((kept) => kept === 1)) continue;
      const hit = searchArchive(index, params).hits[0];
      if (hit) matches.push({ alertId, snippet: hit.snippets[0]?.html ?? hit.titleHtml });
    }
    if (index !== given) index?.close();
    return matches;
  }
}

/** Whether an alert's search has a date or metadata filter, which `buildArticleFilter` applies. */
function buildArticleFilterNeeded(params: SearchParams): boolean {
  return (
    params.from !== null ||
    params.to !== null ||
    params.source.length + params.section.length + params.author.length + params.tag.length > 0
  );
}
