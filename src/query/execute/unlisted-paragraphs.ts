import { popCount } from '../../pop-count.js';
import type { IdList } from '../../index/id-list.js';

/**
 * The matching paragraphs a top-k evaluation counted without listing them: `unlisted` has a bit set per
 * matching paragraph read (one bit a paragraph, 32 to a number); those listed in `paraTouched` (the articles
 * scored) are taken out, the rest counted. Leaves `unlisted` zeroed for the next query.
 */
export function countUnlistedParagraphs(unlisted: Int32Array, paraTouched: IdList): number {
  for (let i = 0; i < paraTouched.length; i++) {
    const doc = paraTouched.ids[i]!;
    unlisted[doc >>> 5] = unlisted[doc >>> 5]! & ~(1 << (doc & 31));
  }
  let count = 0;
  for (let j = 0; j < unlisted.length; j++) {
    const bits = unlisted[j]!;
    if (bits === 0) continue;
    count += popCount(bits);
    unlisted[j] = 0;
  }
  return count;
}
