import type { ArchiveIndex } from '../../index/archive-index.js';
import type { Deadline } from './deadline.js';
import type { IdList } from '../../index/id-list.js';
import { popCount } from '../../pop-count.js';
import type { Collection, TermScorer } from './term-scorer.js';
import { acquireMatches, scratch, type QueryMatches } from './query-matches.js';
import { MAX_PHRASE_CHECKS, PhraseChecker } from './phrase-checker.js';
import { ProximityChecker } from './proximity-checker.js';
import { metaArticles } from './meta-articles.js';
import { atLeastArticles } from './at-least-articles.js';
import { keepLeadParagraphs } from './lead-paragraphs.js';
import { clauseBound, kthLargest, withMargin } from './max-score.js';
import { decodeAllBlocks } from '../../index/term-postings.js';
import { requiredClauses, type CompiledItem, type QueryPlan } from './query-plan.js';
import { EXTRA_PARAGRAPHS_WEIGHT, PASSAGE_WEIGHT, TITLE_BOOST } from './score-weights.js';
import { clauseOrder } from './clause-order.js';
import { canPrune } from './can-prune.js';
import { scoreTopK } from './score-top-k.js';
import { foldClause } from './fold-clause.js';
import { addPassageBonus } from './passage-bonus.js';
import { markExclusions } from './mark-exclusions.js';

export { popCount, MAX_PHRASE_CHECKS };
export { releaseMatches, type QueryMatches } from './query-matches.js';
export { createFastScorer, type TermScorer, type Collection } from './term-scorer.js';
export {
  requiredClauses,
  type CompiledItem,
  type CompiledMeta,
  type CompiledPhrase,
  type CompiledWord,
  type QueryPlan,
} from './query-plan.js';
export { EXTRA_PARAGRAPHS_WEIGHT, PASSAGE_WEIGHT, TITLE_BOOST } from './score-weights.js';
export { canPrune, canPruneAllWords, canPruneOneWord } from './can-prune.js';

/**
 * With requireAll, a term whose postings outnumber the candidate documents by
 * this factor is read by galloping from one candidate to the next instead of
 * in full: a rare word AND "the" then costs about the rare word's candidates.
 */
const PROBE_FACTOR = 16;

/** Fills `paras` and `titles` with the live paragraphs and the headlines of `articles`, each ascending. */
function listCandidateDocs(index: ArchiveIndex, articles: Int32Array, paras: IdList, titles: IdList): void {
  paras.clear();
  titles.clear();
  for (let i = 0; i < articles.length; i++) {
    const ord = articles[i]!;
    for (let doc = index.articleFirstPara[ord]!; doc < index.articleFirstPara[ord + 1]!; doc++)
      if (index.paraArticle[doc]! >= 0) paras.push(doc);
    titles.push(ord);
  }
  paras.ids.subarray(0, paras.length).sort();
  titles.ids.subarray(0, titles.length).sort();
}

/**
 * Runs a plan over the index: scores every document that matches any clause,
 * folds paragraph scores into article scores, and marks excluded documents.
 * `articleFilter[ord]` = 0 leaves an article out (date, source, … filters).
 * Cost is linear in the postings of the plan's terms; nothing is sorted here.
 * `options.deadline`, once expired, stops before the next clause or word.
 * `options.topK` (> 0, any-word plans of words only, see {@link canPrune}): only
 * the best `topK` articles need exact scores (MaxScore, `max-score.ts`): the
 * others may be left out or scored in part (`matches.pruned` then says so);
 * all-words plans of plain words (see {@link canPruneAllWords}) are then scored article at a time, and
 * one-word plans (see {@link canPruneOneWord}) by block-max windows when `options.exactFirst` says how the
 * caller ranks them (the typed form's articles first, `exactness.ts`; null: by score alone), counting the
 * matching articles up to `options.countTo` (default all; past it the counts are lower bounds, `matches.pruned`).
 */
export function executeQuery(
  index: ArchiveIndex,
  plan: QueryPlan,
  scorer: TermScorer,
  articleFilter: Uint8Array | null,
  options: {
    requireAll?: boolean;
    deadline?: Deadline;
    topK?: number;
    exactFirst?: string | null;
    countTo?: number;
  } = {},
): QueryMatches {
  const paraCount = index.paraArticle.length;
  const titleCount = index.titleArticle.length;
  const articleCount = index.articleSlots;
  const matches = acquireMatches(paraCount, articleCount, plan.clauses.length);
  const items = [...plan.clauses.flat(), ...plan.excluded];
  const phrases = new PhraseChecker(index, scorer, articleFilter, matches, options.deadline);
  const proximities = new ProximityChecker(
    index,
    scorer,
    phrases,
    matches,
    items.filter((item) => item.type === 'proximity').length,
    options.deadline,
  );
  const scoreless = plan.scoreless ?? 0;
  matches.scoringBits = ~scoreless >>> 0;
  plan.clauses.forEach((clause, c) => {
    // Clauses that can hold by the headline or the article alone: a paragraph inherits them from its article.
    const articleLevel = (item: CompiledItem) =>
      item.type === 'meta' ||
      ('field' in item && item.field !== undefined) ||
      (item.type === 'word' && item.atLeast !== undefined);
    if (clause.every(articleLevel)) matches.articleBits |= 1 << c;
  });

  // Per clause: paragraph and headline scores, then per article the best paragraph and the total.
  const clausePara = scratch.floats('clausePara', paraCount);
  const clauseTitle = scratch.floats('clauseTitle', titleCount);
  // Per article, side by side (one cache line): [best paragraph, all paragraphs, headline, unused].
  const clauseArticle = scratch.floats('clauseArticle', articleCount * 4);
  const paraTouched = scratch.list('paraTouched');
  const titleTouched = scratch.list('titleTouched');
  const clauseArticles = scratch.list('clauseArticles');
  // A `lead:` item's paragraph scores, before those of non-lead paragraphs are dropped.
  const leadPara = scratch.floats('leadPara', paraCount);
  const leadTouched = scratch.list('leadTouched');

  // With requireAll, an article must match every clause: run the cheapest clause
  // first, then let only the articles that matched every clause so far through
  // (an AND that skips the work on postings of articles already out).
  const required = requiredClauses(plan, options.requireAll ?? false);
  const { order, cost } = clauseOrder(scorer, plan, required);
  const topK = options.topK ?? 0;
  if (topK > 0 && scoreTopK(index, plan, order, cost, required, articleFilter, matches, topK, options)) return matches;
  let filter = articleFilter;
  let candidates: Int32Array | null = null;
  let candidateFilter: Uint8Array | null = null;

  // The live paragraphs and headlines of the candidate articles, ascending (made when a term is worth probing).
  const candidateParas = scratch.list('candidateParas');
  const candidateTitles = scratch.list('candidateTitles');
  let candidateDocsFresh = false;
  let candidateParaCount = -1; // at most this many candidate paragraphs (-1: not counted yet)
  const scoreTerm = (
    collection: Collection,
    term: string,
    weight: number,
    scores: Float64Array,
    touched: IdList,
  ): boolean => {
    if (candidates !== null) {
      if (candidateParaCount < 0) {
        candidateParaCount = 0;
        for (let i = 0; i < candidates.length; i++)
          candidateParaCount += index.articleFirstPara[candidates[i]! + 1]! - index.articleFirstPara[candidates[i]!]!;
      }
      const most = collection === 'paragraphs' ? candidateParaCount : candidates.length;
      if (most * PROBE_FACTOR < scorer.documentCount(collection, term)) {
        if (!candidateDocsFresh) {
          listCandidateDocs(index, candidates, candidateParas, candidateTitles);
          candidateDocsFresh = true;
        }
        const list = collection === 'paragraphs' ? candidateParas : candidateTitles;
        return scorer.accumulateAt(collection, term, weight, scores, touched, list.ids, list.length);
      }
    }
    return scorer.accumulate(collection, term, weight, scores, touched, filter);
  };

  // MaxScore: what each clause can add to an article at most, and the sum of those of the clauses still to run.
  const bounds =
    topK > 0 && canPrune(plan, required)
      ? plan.clauses.map((clause) => clauseBound(index, clause, TITLE_BOOST, EXTRA_PARAGRAPHS_WEIGHT))
      : null;
  let boundLeft = 0;
  let untitledLeft = 0;
  let passageBound = 0;
  let paragraphBoundLeft = 0;
  if (bounds) {
    for (const b of bounds) boundLeft += b.article;
    for (const b of bounds) untitledLeft += b.untitled;
    for (const b of bounds) paragraphBoundLeft += b.paragraph;
    passageBound = withMargin(PASSAGE_WEIGHT * paragraphBoundLeft);
  }
  let clausesLeft = plan.clauses.length;

  for (const c of order) {
    if (candidates !== null && candidates.length === 0) break;
    // Past the time budget, the clauses left are not scored (the search then says `exhaustive: false`).
    if (options.deadline?.expired()) break;
    const clause = plan.clauses[c]!;
    const bit = 1 << c;
    const scoring = ((scoreless >>> c) & 1) === 0;
    // The first clause scores straight into the paragraph scores (all zero so far).
    const first = c === order[0] && scoring;
    const clauseParaTarget = first ? matches.paraScore : clausePara;
    const clauseParaTouched = paraTouched;
    phrases.filter = filter;
    for (const item of clause) {
      // With `matchingStrategy=any` a query is one clause of many words: the budget is checked per word too.
      if (options.deadline?.expired()) break;
      const lead = 'field' in item && item.field === 'lead';
      const [paraTarget, paraTouched] = lead ? [leadPara, leadTouched] : [clauseParaTarget, clauseParaTouched];
      if (item.type === 'meta') {
        const accepted = metaArticles(index, item.item, filter);
        for (let ord = 0; ord < accepted.length; ord++) {
          if (accepted[ord] && clauseArticle[ord * 4 + 3] === 0) {
            clauseArticle[ord * 4 + 3] = 1;
            clauseArticles.push(ord);
          }
        }
      } else if (item.type === 'proximity') {
        proximities.accumulate(item, paraTarget, paraTouched, clauseTitle, titleTouched);
      } else if (item.type === 'word' && item.atLeast !== undefined) {
        const allowed = atLeastArticles(index, item.form, item.atLeast, filter);
        const inParagraphs: boolean[] = [];
        const inTitles: boolean[] = [];
        scorer.accumulateTerms('paragraphs', item.expansions, paraTarget, paraTouched, allowed, inParagraphs);
        scorer.accumulateTerms('titles', item.expansions, clauseTitle, titleTouched, allowed, inTitles);
        item.expansions.forEach((e, i) => {
          if (inParagraphs[i] || inTitles[i]) matches.matchedTerms.add(e.term);
        });
      } else if (item.type === 'word' && candidates === null) {
        const inParagraphs: boolean[] = [];
        const inTitles: boolean[] = [];
        if (item.field !== 'title')
          scorer.accumulateTerms('paragraphs', item.expansions, paraTarget, paraTouched, filter, inParagraphs);
        scorer.accumulateTerms('titles', item.expansions, clauseTitle, titleTouched, filter, inTitles);
        item.expansions.forEach((e, i) => {
          if (inParagraphs[i] || inTitles[i]) matches.matchedTerms.add(e.term);
        });
      } else if (item.type === 'word') {
        for (const e of item.expansions) {
          const inParagraphs =
            item.field !== 'title' && scoreTerm('paragraphs', e.term, e.weight, paraTarget, paraTouched);
          const inTitles = scoreTerm('titles', e.term, e.weight, clauseTitle, titleTouched);
          if (inParagraphs || inTitles) matches.matchedTerms.add(e.term);
        }
      } else {
        phrases.accumulate(
          item.forms,
          paraTarget,
          paraTouched,
          clauseTitle,
          titleTouched,
          item.field === 'title',
          item.weight ?? 1,
        );
      }
      if (lead) keepLeadParagraphs(index, leadPara, leadTouched, clauseParaTarget, clauseParaTouched);
    }
    foldClause(
      index,
      matches,
      { clausePara, clauseTitle, clauseArticle, paraTouched, titleTouched, clauseArticles },
      clauseParaTarget,
      bit,
      first,
      scoring,
    );
    // Narrowed after every clause but the last, and after the last too when exclusions follow (they read `filter`,
    // and an excluded phrase must not spend its check budget on articles that are not hits).
    if (((required >>> c) & 1) === 1 && (c !== order[order.length - 1] || plan.excluded.length > 0)) {
      if (candidates === null) {
        const list = scratch.list('candidates');
        for (let i = 0; i < clauseArticles.length; i++) list.push(clauseArticles.ids[i]!);
        candidates = list.ids.subarray(0, list.length);
        candidateFilter = scratch.bytes('candidateFilter', articleCount);
        for (let i = 0; i < candidates.length; i++) candidateFilter[candidates[i]!] = 1;
      } else {
        // Keep, in place, the candidates that matched this clause too.
        let kept = 0;
        for (let i = 0; i < candidates.length; i++) {
          const ord = candidates[i]!;
          if (matches.articleMask[ord]! & bit) candidates[kept++] = ord;
          else candidateFilter![ord] = 0;
        }
        candidates = candidates.subarray(0, kept);
      }
      candidateDocsFresh = false;
      candidateParaCount = -1;
      filter = candidateFilter;
    }
    clauseArticles.clear();
    if (bounds && c !== order[order.length - 1]) {
      boundLeft -= bounds[c]!.article;
      untitledLeft -= bounds[c]!.untitled;
      paragraphBoundLeft -= bounds[c]!.paragraph;
      clausesLeft--;
      // The most a seen article can still gain: the clauses left and the passage bonus (rounding aside: both have margins);
      // an article not seen yet holds none of the clauses run so far, so its bonus needs two of the clauses left, and
      // (when its headline holds none of the clauses left: those articles are kept below) it gains no headline score.
      const gain = withMargin(Math.max(0, boundLeft) + passageBound);
      const unseenGain = withMargin(
        Math.max(0, untitledLeft) +
          (clausesLeft >= 2 ? withMargin(PASSAGE_WEIGHT * Math.max(0, paragraphBoundLeft)) : 0),
      );
      const seen = candidates ?? matches.articleTouched.ids.subarray(0, matches.articleTouched.length);
      const threshold = kthLargest(matches.articleScore, seen, seen.length, topK, scratch.floats('kthHeap', topK));
      if (threshold > unseenGain) {
        // No article not seen yet can reach the top k through its paragraphs, nor a seen one that even the gain leaves below the k-th.
        if (candidates === null) {
          candidateFilter = scratch.bytes('candidateFilter', articleCount);
          const list = scratch.list('candidates');
          for (let i = 0; i < seen.length; i++) {
            const ord = seen[i]!;
            if (matches.articleScore[ord]! + gain >= threshold) {
              list.push(ord);
              candidateFilter[ord] = 1;
            }
          }
          // The articles whose headline holds a clause left, seen or not, unless even the gain leaves them below the k-th.
          if (threshold <= gain) {
            for (const r of order.slice(order.indexOf(c) + 1)) {
              for (const item of plan.clauses[r]!) {
                if (item.type !== 'word') continue;
                for (const e of item.expansions) {
                  const titles = index.termPostings('titles', e.term);
                  if (!titles) continue;
                  decodeAllBlocks(titles);
                  for (let i = titles.start; i < titles.end; i++) {
                    const ord = titles.docs[i]!;
                    if (
                      candidateFilter[ord] ||
                      index.titleArticle[ord]! < 0 ||
                      (articleFilter !== null && !articleFilter[ord])
                    )
                      continue;
                    if (matches.articleScore[ord]! + gain < threshold) continue;
                    list.push(ord);
                    candidateFilter[ord] = 1;
                  }
                }
              }
            }
          }
          candidates = list.ids.subarray(0, list.length);
        } else {
          let kept = 0;
          for (let i = 0; i < candidates.length; i++) {
            const ord = candidates[i]!;
            if (matches.articleScore[ord]! + gain >= threshold) candidates[kept++] = ord;
            else candidateFilter![ord] = 0;
          }
          candidates = candidates.subarray(0, kept);
        }
        matches.pruned = true;
        candidateDocsFresh = false;
        candidateParaCount = -1;
        filter = candidateFilter;
      }
    }
  }

  if (plan.clauses.length > 1) addPassageBonus(index, matches, plan.clauses.length);

  // Exclusions: any document containing an excluded item (exact form or stem, or the phrase).
  phrases.filter = filter;
  if (plan.excluded.length > 0) matches.excludedAny = true;
  const clauseScratch = { clausePara, clauseTitle, paraTouched, titleTouched };
  markExclusions(index, plan.excluded, scorer, filter, matches, { phrases, proximities }, clauseScratch, {
    leadPara,
    leadTouched,
  });
  if (candidates !== null) for (let i = 0; i < candidates.length; i++) candidateFilter![candidates[i]!] = 0;
  return matches;
}
