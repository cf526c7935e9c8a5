import type { ArchiveIndex } from '../../index/archive-index.js';
import { popCount } from '../../pop-count.js';
import { scratch, type QueryMatches } from './query-matches.js';
import { PASSAGE_WEIGHT } from './score-weights.js';

/**
 * Adds the passage bonus to every matched article's score: the largest, over its
 * paragraphs holding two or more scoring clauses, of the paragraph's score times
 * {@link PASSAGE_WEIGHT} × (clauses held − 1) / (`clauseCount` − 1). `clauseCount` ≥ 2.
 */
export function addPassageBonus(index: ArchiveIndex, matches: QueryMatches, clauseCount: number): void {
  const bonus = scratch.floats('bonus', index.articleSlots);
  const scale = PASSAGE_WEIGHT / (clauseCount - 1);
  for (let i = 0; i < matches.paraTouched.length; i++) {
    const doc = matches.paraTouched.ids[i]!;
    const together = popCount(matches.paraMask[doc]! & matches.scoringBits);
    if (together < 2) continue;
    const ord = index.paraArticle[doc]!;
    const value = matches.paraScore[doc]! * (together - 1) * scale;
    if (value > bonus[ord]!) bonus[ord] = value;
  }
  for (let i = 0; i < matches.articleTouched.length; i++) {
    const ord = matches.articleTouched.ids[i]!;
    matches.articleScore[ord] = matches.articleScore[ord]! + bonus[ord]!;
    bonus[ord] = 0;
  }
}

/**
 * The passage bonus of one article whose paragraphs are `first … end` (the top-k evaluations', article at a
 * time): the best paragraph holding two clauses or more (of `scoringBits`), its score times one less than
 * their number times `scale` (`PASSAGE_WEIGHT / (clauses − 1)`), as {@link addPassageBonus} gives it.
 */
export function passageBonus(
  paraScore: Float64Array,
  paraMask: Uint32Array,
  scoringBits: number,
  first: number,
  end: number,
  scale: number,
): number {
  let bonus = 0;
  for (let doc = first; doc < end; doc++) {
    const together = popCount(paraMask[doc]! & scoringBits);
    if (together < 2) continue;
    const value = paraScore[doc]! * (together - 1) * scale;
    if (value > bonus) bonus = value;
  }
  return bonus;
}
