/**
 * A recency preference blended into relevance (`recencyHalfLife`, in days): each
 * score is multiplied by `0.5^(age / halfLife)`, the age counted from now, so an
 * article a half-life old scores half, two half-lives a quarter. An undated
 * article scores a quarter, as related articles treat an undated candidate
 * (`related-articles.ts`); one dated in the future counts as new. Off (factor 1)
 * without a half-life, so relevance figures stay comparable; `sort=date` is another thing.
 */
import type { ArchiveIndex } from '../../index/archive-index.js';
import type { QueryMatches } from './query-matches.js';

const DAY_MS = 86_400_000;
/** Longest half-life accepted, in days (100 years). */
export const MAX_RECENCY_HALF_LIFE = 36_500;
/** Score factor of an undated article (as if two half-lives old). */
export const UNDATED_FACTOR = 0.25;

/**
 * The score factor of an article published at `time` (ms since the epoch, NaN when
 * undated), `now` being the moment of the search: in (0, 1]; null when `halfLifeDays` is 0 (no preference).
 */
export function recencyFactor(halfLifeDays: number, now: number): ((time: number) => number) | null {
  if (!(halfLifeDays > 0)) return null;
  return (time) => (Number.isNaN(time) ? UNDATED_FACTOR : 0.5 ** (Math.max(0, now - time) / DAY_MS / halfLifeDays));
}

/** Multiplies every touched paragraph's and article's score by its article's factor (in place). */
export function applyRecency(index: ArchiveIndex, matches: QueryMatches, factor: (time: number) => number): void {
  const { articleTime, paraArticle } = index;
  for (let i = 0; i < matches.paraTouched.length; i++) {
    const doc = matches.paraTouched.ids[i]!;
    matches.paraScore[doc] = matches.paraScore[doc]! * factor(articleTime[paraArticle[doc]!]!);
  }
  for (let i = 0; i < matches.articleTouched.length; i++) {
    const ord = matches.articleTouched.ids[i]!;
    matches.articleScore[ord] = matches.articleScore[ord]! * factor(articleTime[ord]!);
  }
}
