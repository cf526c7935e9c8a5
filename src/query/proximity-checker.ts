import { findNear, findSloppyPhrase, type ProximityOperandMatcher } from '../analysis/find-proximity.js';
import { isStemTerm, stemTerm } from '../analysis/index-terms.js';
import type { IdList } from '../index/id-list.js';
import { topKByScore } from '../index/top-k.js';
import type { TermExpansion } from './expand-terms.js';
import { intersect, MAX_PHRASE_CHECKS, type PhraseChecker, type Postings } from './phrase-checker.js';
import type { QueryMatches } from './query-matches.js';

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
 * that order); `slop`: the operands are a phrase's words, within `distance` position moves.
 */
export interface CompiledProximity {
  type: 'proximity';
  mode: 'near' | 'slop';
  operands: CompiledProximityOperand[];
  distance: number;
  ordered: boolean;
  field?: 'title';
}

/** A token matcher for an operand: its forms, or its terms (a stem term matches every form with that stem). */
export function operandMatcher(operand: CompiledProximityOperand): ProximityOperandMatcher {
  if (operand.forms) return { forms: operand.forms };
  const terms = new Set(operand.expansions.map((e) => e.term));
  const stems = operand.expansions.some((e) => isStemTerm(e.term));
  return { matches: (form) => terms.has(form) || (stems && terms.has(stemTerm(form))) };
}

/** Whether a proximity holds in a token list. */
export function proximityHolds(tokens: Parameters<typeof findNear>[0], item: CompiledProximity, matchers: ProximityOperandMatcher[]): boolean {
  if (item.mode === 'slop') return findSloppyPhrase(tokens, item.operands.map((o) => o.label), item.distance).length > 0;
  return findNear(tokens, matchers[0]!, matchers[1]!, item.distance, item.ordered).length > 0;
}

/** Documents holding any of `lists`, ascending, with the sum of their scores (weighted). */
function union(lists: readonly Postings[], weights: readonly number[]): Postings {
  const sums = new Map<number, number>();
  lists.forEach((list, l) => list.docs.forEach((doc, i) => sums.set(doc, (sums.get(doc) ?? 0) + list.scores[i]! * weights[l]!)));
  const docs = Int32Array.from(sums.keys()).sort();
  return { docs, scores: Float64Array.from(docs, (doc) => sums.get(doc)!) };
}

/**
 * Scores NEAR/ADJ and sloppy phrases the way {@link PhraseChecker} scores phrases:
 * candidates are the documents holding every operand (a word by any of its
 * terms), best-scoring first, at most the check budget each; each candidate's text
 * is re-tokenized (segments store no positions) and the proximity verified. The
 * score is the operands' BM25. Tokens and postings are shared with the phrase checker.
 */
export class ProximityChecker {
  constructor(
    private readonly phrases: PhraseChecker,
    private readonly matches: QueryMatches,
    /** Proximities in the plan, to share the budget among them. */
    private readonly count: number,
  ) {}

  private postingsOf(collection: 'paragraphs' | 'titles', operand: CompiledProximityOperand): Postings {
    if (operand.forms) return intersect(operand.forms.map((form) => this.phrases.postingsOf(collection, form)));
    return union(operand.expansions.map((e) => this.phrases.postingsOf(collection, e.term)), operand.expansions.map((e) => e.weight));
  }

  /** Adds the proximity's score to each document where it holds. */
  accumulate(item: CompiledProximity, paraScores: Float64Array, paraTouched: IdList, titleScores: Float64Array, titleTouched: IdList): void {
    const matchers = item.operands.map(operandMatcher);
    let allowance = Math.ceil(MAX_PHRASE_CHECKS / Math.max(1, this.count));
    let found = false;
    for (const [collection, scores, touched] of [
      ['titles', titleScores, titleTouched],
      ['paragraphs', paraScores, paraTouched],
    ] as const) {
      if (collection === 'paragraphs' && item.field === 'title') continue;
      const { docs, scores: candidateScores } = intersect(item.operands.map((o) => this.postingsOf(collection, o)));
      const limited = docs.length > allowance;
      if (limited) this.matches.phraseLimitReached = true;
      const order = limited ? topKByScore(candidateScores, allowance) : Array.from(docs, (_, i) => i);
      allowance = Math.max(0, allowance - order.length);
      for (const i of order) {
        const doc = docs[i]!;
        if (!proximityHolds(this.phrases.tokensOf(collection, doc), item, matchers)) continue;
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] = scores[doc]! + candidateScores[i]!;
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
