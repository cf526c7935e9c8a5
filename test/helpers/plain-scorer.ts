import { paragraphId, type ArchiveIndex } from '../../src/index/archive-index.js';
import { BM25 } from '../../src/index/bm25.js';
import { miniSearchIdf, termIdf } from '../../src/query/execute/term-idf.js';
import { IdList } from '../../src/index/id-list.js';
import type { MiniSearchReference } from './minisearch-reference.js';
import type { TermScorer } from '../../src/query/execute/term-scorer.js';

/**
 * The plain scorer: asks MiniSearch's own `search()`, over a reference holding
 * the same articles, for each term. Slow (one result object per match) and
 * independent of our segments: the test that both scorers give the same hits
 * keeps the fast path honest.
 */
export function createPlainScorer(
  index: ArchiveIndex,
  reference: { paragraphs: MiniSearchReference; titles: MiniSearchReference },
): TermScorer {
  const options = { tokenize: (s: string) => [s], processTerm: (t: string) => t, bm25: BM25 };
  /** Our document number of a MiniSearch document id. */
  const docOf = (collection: 'paragraphs' | 'titles', id: string): number => {
    if (collection === 'titles') return index.ordOf(id);
    const cut = id.lastIndexOf('#p');
    const ord = index.ordOf(id.slice(0, cut));
    return ord < 0 ? -1 : index.articleFirstPara[ord]! + Number(id.slice(cut + 2));
  };
  const scorer: TermScorer = {
    documentCount(collection, term) {
      return reference[collection].documentFrequency(term);
    },

    accumulate(collection, term, weight, scores, touched, filter) {
      const live = collection === 'paragraphs' ? index.paraArticle : index.titleArticle;
      let matched = false;
      // MiniSearch's IDF is Lucene's; rescaled to ours (one factor per term).
      const n = reference[collection].documentCount;
      const df = reference[collection].documentFrequency(term);
      const rescale = df > 0 ? termIdf(n, df) / miniSearchIdf(n, df) : 1;
      for (const result of reference[collection].search(term, options)) {
        const doc = docOf(collection, result.id as string);
        if (doc < 0) continue;
        const ord = live[doc]!;
        if (ord < 0 || (filter !== null && filter[ord] === 0)) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + result.score * rescale * weight;
        matched = true;
      }
      return matched;
    },

    accumulateTerms(collection, terms, scores, touched, filter, matched) {
      terms.forEach(({ term, weight }, t) => {
        matched[t] = scorer.accumulate(collection, term, weight, scores, touched, filter);
      });
    },

    frequenciesAt(collection, term, docs, count, out) {
      const live = collection === 'paragraphs' ? index.paraArticle : index.titleArticle;
      for (let i = 0; i < count; i++) {
        const doc = docs[i]!;
        const ord = live[doc]!;
        if (ord < 0) continue;
        const id = index.article(ord).id;
        const docId = collection === 'titles' ? id : paragraphId(id, index.paragraphIndex(doc));
        out[i] = out[i]! + reference[collection].termFrequency(term, docId);
      }
    },

    accumulateAt(collection, term, weight, scores, touched, docs, count) {
      // Every match, then only the listed documents: slow and simple.
      const size = collection === 'paragraphs' ? index.paraArticle.length : index.titleArticle.length;
      const all = new Float64Array(size);
      const allTouched = new IdList();
      scorer.accumulate(collection, term, weight, all, allTouched, null);
      let matched = false;
      for (let i = 0; i < count; i++) {
        const doc = docs[i]!;
        if (all[doc] === 0) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + all[doc]!;
        matched = true;
      }
      return matched;
    },
  };
  return scorer;
}
