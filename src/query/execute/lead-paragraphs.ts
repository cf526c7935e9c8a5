import type { ArchiveIndex } from '../../index/archive-index.js';
import type { IdList } from '../../index/id-list.js';

/**
 * Moves the scores of lead paragraphs (each article's first paragraph: with the
 * headline, what `lead:` searches) from `from` to `to`, pushing each onto
 * `toTouched` when its score there was 0; every score of `from` is set back to 0
 * and `fromTouched` cleared. The lead is the first paragraph rather than the first
 * N words: paragraphs are the indexed unit, so the test is one table read per match.
 */
export function keepLeadParagraphs(
  index: ArchiveIndex,
  from: Float64Array,
  fromTouched: IdList,
  to: Float64Array,
  toTouched: IdList,
): void {
  for (let i = 0; i < fromTouched.length; i++) {
    const doc = fromTouched.ids[i]!;
    const score = from[doc]!;
    from[doc] = 0;
    if (index.paragraphIndex(doc) !== 0 || score === 0) continue;
    if (to[doc] === 0) toTouched.push(doc);
    to[doc] = to[doc]! + score;
  }
  fromTouched.clear();
}
