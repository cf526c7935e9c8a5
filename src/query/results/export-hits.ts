import { EMPTY_SYNONYMS, type SynonymTable } from '../plan/synonyms.js';
import { SearchError } from '../../errors.js';
import type { ArchiveIndex } from '../../index/archive-index.js';
import { duplicateView } from '../../index/duplicate-groups.js';
import { popCount } from '../../pop-count.js';
import { buildSnippet } from '../../snippet/build-snippet.js';
import type { Highlighter } from '../../snippet/find-highlights.js';
import { ChunkedOrder } from './chunked-order.js';
import { Deadline } from '../execute/deadline.js';
import { createFastScorer, releaseMatches, type QueryMatches, type TermScorer } from '../execute/execute-query.js';
import {
  articleMeta,
  compareTimes,
  highlighterFor,
  matchSearch,
  paragraphOrder,
  type ArticleMeta,
} from '../search-archive.js';
import type { SearchParams } from '../search-params.js';
import { FEEDBACK_ARTICLES } from '../execute/feedback.js';

/** One exported hit: an article with its best paragraph (groupBy=article), or one paragraph (groupBy=none). */
export interface ExportRow extends ArticleMeta {
  /** The hit's score as `/search` gives it (4 decimals); 0 in browse mode. */
  score: number;
  /** The best matching paragraph's snippet as plain text (`…` where cut); the lead paragraph's in browse mode or for a headline-only match; '' when the article has none. */
  snippet: string;
  /** `<articleId>#p<index>` of that paragraph; null when the article has no paragraph. */
  paragraphId: string | null;
  paragraphIndex: number | null;
  /** The id of the group of near-duplicates the article is in (its earliest member, see `duplicate-groups.ts`); null when it has none. */
  duplicateGroup: string | null;
}

const round = (score: number) => Math.round(score * 1e4) / 1e4;

/**
 * Every hit of a search, in the order `/search` pages them (past its 1,000-hit
 * cap), built a few rows at a time so a caller can stream them out.
 *
 * `HitExport.start` runs the query in full (no time budget: an export must be
 * complete) and keeps 16 bytes a hit (its id, score and place in the order; 20 with
 * groupBy=article, its best paragraph too), then gives the scores back to the pool; `step` sorts a
 * chunk of the order or builds the next rows, each call bounded in time. The
 * rows hold document numbers, so an index change in between ends the export
 * with `SearchError('index_changed')`.
 */
export class HitExport {
  private readonly order: ChunkedOrder;
  private done = false;

  private constructor(
    /** The reader it reads (the newest one at each step: articles taken down since are left out). */
    private index: ArchiveIndex,
    private readonly params: SearchParams,
    private readonly numbering: number,
    /** Article ordinals (groupBy=article) or paragraph numbers (groupBy=none). */
    private readonly ids: Int32Array,
    private readonly scores: Float64Array,
    /** groupBy=article: each hit's best matching paragraph, -1 for its lead. */
    private readonly bestDoc: Int32Array | null,
    private readonly highlighter: Highlighter | null,
    /** False when the phrase-check bound left candidates unchecked (the rows are then a subset). */
    readonly exhaustive: boolean,
  ) {
    const byArticle = params.groupBy === 'article';
    const sort = highlighter === null && params.sort === 'relevance' ? 'date:desc' : params.sort;
    const time = (p: number) => index.articleTime[byArticle ? ids[p]! : index.paraArticle[ids[p]!]!]!;
    const tie = (p: number) => (byArticle ? ids[p]! : paragraphOrder(index, ids[p]!));
    this.order = new ChunkedOrder(ids.length, (a, b) => {
      if (sort !== 'relevance') {
        const d = compareTimes(time(a), time(b), sort);
        if (d !== 0) return d < 0;
      }
      if (scores[a] !== scores[b]) return scores[a]! > scores[b]!;
      return tie(a) < tie(b);
    });
  }

  /** Hits to export. */
  get total(): number {
    return this.ids.length;
  }

  /** Runs the search of `params` (page and hitsPerPage ignored, `synonyms` as a search applies them) and readies its hits for export. Synchronous: cost as one search without a budget. */
  static start(
    index: ArchiveIndex,
    params: SearchParams,
    scorer: TermScorer = createFastScorer(index),
    synonyms: SynonymTable = EMPTY_SYNONYMS,
  ): HitExport {
    // The best ten ranked as a search ranks them: the feedback pass of a long query reads them.
    const matched = matchSearch(index, params, FEEDBACK_ARTICLES, scorer, Deadline.none(), synonyms);
    const { matches, ranked, plan } = matched;
    try {
      const ids = Int32Array.from(ranked.ids);
      const browse = matched.browse;
      const scores = new Float64Array(ids.length);
      let bestDoc: Int32Array | null = null;
      if (!browse && params.groupBy === 'none')
        for (let p = 0; p < ids.length; p++) scores[p] = matches.paraScore[ids[p]!]!;
      if (!browse && params.groupBy === 'article') {
        for (let p = 0; p < ids.length; p++) scores[p] = matches.articleScore[ids[p]!]!;
        bestDoc = bestParagraphs(index, matches, ids);
      }
      const highlighter = browse ? null : highlighterFor(plan, matches);
      return new HitExport(
        index,
        params,
        index.numbering,
        ids,
        scores,
        bestDoc,
        highlighter,
        !matches.phraseLimitReached,
      );
    } finally {
      releaseMatches(matches);
    }
  }

  /**
   * The next rows, at most `maxRows`, stopping early once `sliceMs` milliseconds
   * are spent (sorting counts); `[]` while the order is still being sorted, null
   * once every row was given. Writes while it runs are fine (numbers stay; an article taken down
   * since is left out); throws `SearchError('index_changed')` when a merge renumbered the index.
   */
  step(maxRows: number, sliceMs: number): ExportRow[] | null {
    if (this.done) return null;
    this.index = this.index.latest;
    if (this.index.numbering !== this.numbering) {
      throw new SearchError(
        'index_changed',
        'The index was reorganised (segments merged) while the export ran; export again.',
      );
    }
    const deadline = Deadline.after(sliceMs);
    while (!this.order.sorted) {
      this.order.sortStep();
      if (deadline.expired()) return [];
    }
    const rows: ExportRow[] = [];
    while (rows.length < maxRows && !(rows.length > 0 && deadline.expired())) {
      const p = this.order.next();
      if (p < 0) {
        this.done = true;
        break;
      }
      if (!this.isLive(p)) continue;
      rows.push(this.row(p));
    }
    return rows.length === 0 && this.done ? null : rows;
  }

  /** False for a hit whose article was taken down since the export began. */
  private isLive(p: number): boolean {
    const id = this.ids[p]!;
    return this.params.groupBy === 'none' ? this.index.paraArticle[id]! >= 0 : this.index.isLive(id);
  }

  private row(p: number): ExportRow {
    const index = this.index;
    const id = this.ids[p]!;
    const ord = this.params.groupBy === 'none' ? index.paraArticle[id]! : id;
    let doc = this.params.groupBy === 'none' ? id : (this.bestDoc?.[p] ?? -1);
    if (doc < 0) doc = leadParagraph(index, ord);
    const meta = index.articleMeta(ord, false);
    const snippet = doc < 0 ? null : buildSnippet(index.paragraphText(doc), this.highlighter, this.params.cropLength);
    const paragraphIndex = doc < 0 ? null : index.paragraphIndex(doc);
    return {
      ...articleMeta(meta),
      score: round(this.scores[p]!),
      snippet: snippet?.text ?? '',
      paragraphId: paragraphIndex === null ? null : `${meta.id}#p${paragraphIndex}`,
      paragraphIndex,
      duplicateGroup: duplicateGroupOf(index, ord),
    };
  }
}

/** The id of the earliest member of article `ord`'s group of near-duplicates, or null when it has none. */
function duplicateGroupOf(index: ArchiveIndex, ord: number): string | null {
  const view = duplicateView(index);
  const g = view.groupOf[ord] ?? -1;
  return g < 0 ? null : index.articleMeta(view.members[g]![0]!, false).id;
}

/** The first live paragraph of article `ord`, or -1. */
function leadParagraph(index: ArchiveIndex, ord: number): number {
  for (let doc = index.articleFirstPara[ord]!; doc < index.articleFirstPara[ord + 1]!; doc++)
    if (index.paraArticle[doc]! >= 0) return doc;
  return -1;
}

/**
 * Per hit (article ordinals `ids`): its best matching paragraph as a search's
 * first snippet chooses it (score × clauses matched, the earlier on a tie; not
 * excluded), or -1 when only the headline matched.
 */
function bestParagraphs(index: ArchiveIndex, matches: QueryMatches, ids: Int32Array): Int32Array {
  const position = new Int32Array(index.articleSlots).fill(-1);
  for (let p = 0; p < ids.length; p++) position[ids[p]!] = p;
  const best = new Int32Array(ids.length).fill(-1);
  const bestScore = new Float64Array(ids.length);
  const touched = matches.paraTouched;
  for (let i = 0; i < touched.length; i++) {
    const doc = touched.ids[i]!;
    const mask = matches.paraMask[doc]!;
    if (mask === 0 || matches.paraExcluded[doc]) continue;
    const p = position[index.paraArticle[doc]!]!;
    if (p < 0) continue;
    const score = matches.paraScore[doc]! * popCount(mask);
    if (best[p]! < 0 || score > bestScore[p]! || (score === bestScore[p] && doc < best[p]!)) {
      best[p] = doc;
      bestScore[p] = score;
    }
  }
  return best;
}
