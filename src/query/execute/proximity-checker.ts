import { numberSentences } from '../../analysis/number-sentences.js';
import type { TextField } from '../parse/query-tree.js';
import {
  findNear,
  findSloppyPhrase,
  findWithin,
  MAX_OCCURRENCES,
  nearPairs,
  sloppyOccurrences,
  type ProximityOperandMatcher,
  type Span,
} from '../../analysis/find-proximity.js';
import { isStemTerm, stemTerm } from '../../analysis/index-terms.js';
import type { ArchiveIndex, Collection } from '../../index/archive-index.js';
import { IdList } from '../../index/id-list.js';
import { topKByScore } from '../../index/top-k.js';
import type { TermExpansion } from '../plan/expand-terms.js';
import { DEADLINE_STRIDE, intersect, MAX_PHRASE_CHECKS, type PhraseChecker, type Postings } from './phrase-checker.js';
import { nearestGap, phraseStarts, unionPositions } from './position-lists.js';
import type { TermPositions } from '../../index/positions-reader.js';
import { scratch, type QueryMatches } from './query-matches.js';
import type { TermScorer } from './term-scorer.js';
import type { Deadline } from './deadline.js';

/** One side of a proximity: a word's (or pattern's) index terms, or a phrase's exact forms. */
export interface CompiledProximityOperand {
  expansions: TermExpansion[];
  /** A phrase's forms, consecutive (then `expansions` is empty); null for a word. */
  forms: string[] | null;
  /** The operand as the query wrote it (normalized): what its highlights name. */
  label: string;
}

/**
 * `near`: two operands with at most `distance` words between them (`ordered`: in
 * that order); `slop`: the operands are a phrase's words, within `distance` position moves;
 * `paragraph` (`w/p`, `SAME`) and `sentence` (`w/s`): two operands in one paragraph (or
 * headline), or in one of its sentences, `distance` unused.
 */
export interface CompiledProximity {
  type: 'proximity';
  mode: 'near' | 'slop' | 'paragraph' | 'sentence';
  operands: CompiledProximityOperand[];
  distance: number;
  ordered: boolean;
  field?: TextField;
}

/** A token matcher for an operand: its forms, or its terms (a stem term matches every form with that stem). */
export function operandMatcher(operand: CompiledProximityOperand): ProximityOperandMatcher {
  if (operand.forms) return { forms: operand.forms };
  const terms = new Set(operand.expansions.map((e) => e.term));
  // Porter never makes a word longer than its stem: shorter forms need no stemming.
  const shortestStem = Math.min(...operand.expansions.filter((e) => isStemTerm(e.term)).map((e) => e.term.length - 1));
  return { matches: (form) => terms.has(form) || (form.length >= shortestStem && terms.has(stemTerm(form))) };
}

/** The fewest words between the two sides of any pair (-1: no pair). */
function pairsGap(pairs: readonly [Span, Span][]): number {
  let best = -1;
  for (const [x, y] of pairs) {
    const gap = y[0] > x[1] ? y[0] - x[1] - 1 : x[0] - y[1] - 1;
    if (best < 0 || gap < best) best = gap;
  }
  return best;
}

/** The fewest extra words inside any occurrence of a sloppy phrase of `k` words (-1: none). */
function occurrencesGap(occurrences: readonly number[][], k: number): number {
  let best = -1;
  for (const positions of occurrences) {
    const gap = positions[positions.length - 1]! - positions[0]! + 1 - k;
    if (best < 0 || gap < best) best = gap;
  }
  return best;
}

/** The fewest words between a proximity's parts in a token list (of `text`, which `w/s` reads for sentence ends), -1 when it does not hold. */
export function proximityGap(
  text: string,
  tokens: Parameters<typeof findNear>[0],
  item: CompiledProximity,
  matchers: ProximityOperandMatcher[],
): number {
  if (item.mode === 'paragraph' || item.mode === 'sentence') {
    return pairsGap(
      findWithin(tokens, item.mode === 'sentence' ? numberSentences(text, tokens) : null, matchers[0]!, matchers[1]!),
    );
  }
  if (item.mode === 'slop')
    return occurrencesGap(
      findSloppyPhrase(
        tokens,
        item.operands.map((o) => o.label),
        item.distance,
      ),
      item.operands.length,
    );
  return pairsGap(findNear(tokens, matchers[0]!, matchers[1]!, item.distance, item.ordered));
}

/**
 * The share of its operands' BM25 a proximity scores: 1 with nothing between its
 * words, down towards 1/2 at the largest distance allowed (`gap` words between,
 * `distance` allowed), so that of two paragraphs alike in BM25 the closer pair ranks first
 * (as Lucene's sloppy phrase weighs a match by 1/(1 + its length)).
 */
export function closeness(gap: number, distance: number): number {
  return 1 / (1 + gap / (distance + 1));
}

/** The share of its operands' BM25 a proximity scores where it holds: {@link closeness}, and 1 for `w/p` and `w/s` (no distance to weigh). */
function proximityShare(item: CompiledProximity, gap: number): number {
  return item.mode === 'paragraph' || item.mode === 'sentence' ? 1 : closeness(gap, item.distance);
}

/** True when every operand of the proximity is a word (no phrase), and it is not `w/s`: a sloppy phrase then matches each word by its terms, and a `w/p` holds in every candidate. */
function wordsOnly(item: CompiledProximity): boolean {
  return item.mode !== 'sentence' && item.operands.every((o) => o.forms === null);
}

/** True for the proximities checked on a document's tokens (its text re-tokenized, within the check budget): `w/s` and `w/p`. */
function checksTokens(item: CompiledProximity): boolean {
  return item.mode === 'paragraph' || item.mode === 'sentence';
}

/**
 * Scores NEAR/ADJ and sloppy phrases the way {@link PhraseChecker} scores phrases:
 * candidates are the documents holding every operand (a word by any of its
 * terms); each candidate's token positions (read from the index) are merged and
 * the proximity verified. `w/s` and `w/p` re-tokenize each candidate's text
 * instead, best-scoring first, at most the check budget each. The score is the
 * operands' BM25 times its {@link closeness}. Tokens, positions and postings are shared with the phrase checker.
 */
export class ProximityChecker {
  constructor(
    private readonly index: ArchiveIndex,
    private readonly scorer: TermScorer,
    private readonly phrases: PhraseChecker,
    private readonly matches: QueryMatches,
    /** Proximities in the plan, to share the budget among them. */
    private readonly count: number,
    /** The search's time budget: checked every {@link DEADLINE_STRIDE} candidates, past it the rest are left unchecked. */
    private readonly deadline?: Deadline,
  ) {}

  /** Documents holding the operand (a word by any of its terms, with their weighted BM25 summed), ascending. */
  private postingsOf(collection: Collection, operand: CompiledProximityOperand): Postings {
    if (operand.forms) return intersect(operand.forms.map((form) => this.phrases.postingsOf(collection, form)));
    const size = collection === 'paragraphs' ? this.index.paraArticle.length : this.index.titleArticle.length;
    const sums = scratch.floats(`near-${collection}`, size);
    const touched = new IdList();
    this.scorer.accumulateTerms(collection, operand.expansions, sums, touched, this.phrases.filter, []);
    const docs = touched.ids.slice(0, touched.length).sort();
    const scores = new Float64Array(docs.length);
    docs.forEach((doc, i) => {
      scores[i] = sums[doc]!;
      sums[doc] = 0;
    });
    return { docs, scores };
  }

  /**
   * The documents holding every operand, with the sum of their scores: the rarest
   * operand's postings read in full, each other word's postings galloped through to
   * those documents only (a rare word NEAR "the" costs about the rare word's postings).
   */
  private candidates(collection: Collection, item: CompiledProximity): Postings {
    const df = (term: string) => this.scorer.documentCount(collection, term);
    const cost = (o: CompiledProximityOperand) =>
      o.forms ? Math.min(...o.forms.map(df)) : o.expansions.reduce((n, e) => n + df(e.term), 0);
    const [rarest, ...others] = [...item.operands].sort((a, b) => cost(a) - cost(b));
    let found = this.postingsOf(collection, rarest!);
    for (const operand of others) {
      if (found.docs.length === 0) break;
      found = operand.forms
        ? intersect([found, this.postingsOf(collection, operand)])
        : this.phrases.probe(collection, operand.expansions, found);
    }
    return found;
  }

  /**
   * The positions the check of `item` reads in `collection`, per operand: a phrase's forms, a
   * word's terms; for a sloppy phrase with a phrase among its operands, each operand's written form.
   */
  private operandPositions(collection: Collection, item: CompiledProximity): TermPositions[][] {
    const words = wordsOnly(item);
    const reader = this.phrases.positions;
    return item.operands.map((o) => {
      if (item.mode === 'slop' && !words) return [reader.term(collection, o.label)];
      return o.forms
        ? o.forms.map((form) => reader.term(collection, form))
        : positionTerms(o.expansions).map((term) => reader.term(collection, term));
    });
  }

  /** The fewest words between a NEAR/ADJ's operands or inside a sloppy phrase, from the index's positions (-1: it does not hold). */
  private positionsGap(doc: number, item: CompiledProximity, operands: TermPositions[][]): number {
    if (item.mode === 'slop') {
      const positions: number[][] = [];
      for (const terms of operands) {
        const list = unionPositions(
          terms.map((t) => t.positionsOf(doc)),
          MAX_OCCURRENCES,
        );
        if (list.length === 0) return -1;
        positions.push(Array.from(list));
      }
      return occurrencesGap(sloppyOccurrences(positions, item.distance), item.operands.length);
    }
    if (!item.operands[0]!.forms && !item.operands[1]!.forms) {
      // Two words: one walk of their positions, no spans.
      const a = wordPositions(doc, operands[0]!);
      if (a.length === 0) return -1;
      return nearestGap(a, wordPositions(doc, operands[1]!), item.distance, item.ordered);
    }
    const left = spansOf(doc, item.operands[0]!, operands[0]!);
    if (left.length === 0) return -1;
    return pairsGap(nearPairs(left, spansOf(doc, item.operands[1]!, operands[1]!), item.distance, item.ordered));
  }

  /** The fewest words between the proximity's parts in a document (-1: it does not hold): from the index's positions, else on its tokens. */
  private gap(
    collection: Collection,
    doc: number,
    item: CompiledProximity,
    matchers: ProximityOperandMatcher[],
  ): number {
    if (!checksTokens(item)) return this.positionsGap(doc, item, this.operandPositions(collection, item));
    // Every candidate holds both words: in one paragraph is all `w/p` asks.
    if (item.mode === 'paragraph' && wordsOnly(item)) return 0;
    // Only `w/s` reads the text beside the (cached) tokens: for its sentence ends.
    const text =
      item.mode !== 'sentence'
        ? ''
        : collection === 'paragraphs'
          ? this.index.paragraphText(doc)
          : this.index.titleText(doc);
    return proximityGap(text, this.phrases.tokensOf(collection, doc), item, matchers);
  }

  /** The fewest words between the proximity's parts in document `doc` of `collection`, -1 when it does not hold there: the check `accumulate` makes of each candidate. */
  gapIn(collection: Collection, doc: number, item: CompiledProximity): number {
    const matchers = item.operands.map(operandMatcher);
    return this.gap(collection, doc, item, matchers);
  }

  /** Adds the proximity's score to each document where it holds. */
  accumulate(
    item: CompiledProximity,
    paraScores: Float64Array,
    paraTouched: IdList,
    titleScores: Float64Array,
    titleTouched: IdList,
  ): void {
    const matchers = item.operands.map(operandMatcher);
    let allowance = Math.ceil(MAX_PHRASE_CHECKS / Math.max(1, this.count));
    let found = false;
    for (const [collection, scores, touched] of [
      ['titles', titleScores, titleTouched],
      ['paragraphs', paraScores, paraTouched],
    ] as const) {
      if (collection === 'paragraphs' && item.field === 'title') continue;
      const { docs, scores: candidateScores } = this.candidates(collection, item);
      const limited = checksTokens(item) && docs.length > allowance;
      const operands = checksTokens(item) ? [] : this.operandPositions(collection, item);
      if (limited) this.matches.phraseLimitReached = true;
      const order = limited ? topKByScore(candidateScores, allowance) : Array.from(docs, (_, i) => i);
      allowance = Math.max(0, allowance - order.length);
      for (let k = 0; k < order.length; k++) {
        if (k % DEADLINE_STRIDE === DEADLINE_STRIDE - 1 && this.deadline?.expired()) break;
        const i = order[k]!;
        const doc = docs[i]!;
        const gap = checksTokens(item)
          ? this.gap(collection, doc, item, matchers)
          : this.positionsGap(doc, item, operands);
        if (gap < 0) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + candidateScores[i]! * proximityShare(item, gap);
        found = true;
      }
    }
    if (!found) return;
    for (const operand of item.operands) {
      for (const form of operand.forms ?? []) this.matches.matchedTerms.add(form);
      for (const e of operand.expansions) this.matches.matchedTerms.add(e.term);
    }
  }
}

/**
 * The terms whose positions make a word operand's: its expansions' terms but the word forms whose stem
 * term is among them too (a form's positions are within its stem term's, which merges every form's).
 */
function positionTerms(expansions: readonly TermExpansion[]): string[] {
  const terms = new Set(expansions.map((e) => e.term));
  return [...terms].filter((term) => isStemTerm(term) || !terms.has(stemTerm(term)));
}

/** An operand's occurrences in a document from its terms' positions (the first {@link MAX_OCCURRENCES}): as `findNear` finds them on its tokens. */
function spansOf(doc: number, operand: CompiledProximityOperand, terms: readonly TermPositions[]): Span[] {
  if (operand.forms) {
    const last = operand.forms.length - 1;
    return phraseStarts(
      terms.map((t) => t.positionsOf(doc)),
      MAX_OCCURRENCES,
    ).map((p): Span => [p, p + last]);
  }
  return Array.from(wordPositions(doc, terms), (p): Span => [p, p]);
}

/** Where a word's terms occur in a document (a token matches by its form or its stem term), the first {@link MAX_OCCURRENCES}. */
function wordPositions(doc: number, terms: readonly TermPositions[]): Int32Array {
  // Most of a wide operand's terms (a pattern's completions) are not in the document: no list made for them.
  let found: Int32Array | null = null;
  let more: Int32Array[] | null = null;
  for (const term of terms) {
    const list = term.positionsOf(doc);
    if (list.length === 0) continue;
    if (found === null) found = list;
    else (more ??= [found]).push(list);
  }
  if (found === null) return EMPTY_POSITIONS;
  if (more !== null) return unionPositions(more, MAX_OCCURRENCES);
  // A view only when the list is longer (a view costs an object each time).
  return found.length > MAX_OCCURRENCES ? found.subarray(0, MAX_OCCURRENCES) : found;
}

const EMPTY_POSITIONS = new Int32Array(0);
