import { isStemTerm } from '../../analysis/index-terms.js';
import { FormsLexicon } from './forms-lexicon.js';
import type { Segment } from '../segments/segment-reader.js';
import type { CollectionKey } from '../segments/segment-writer.js';

/**
 * The index's lexicon (every word form with its live document frequency over
 * paragraphs and headlines): built from the segments' dictionaries, or moved
 * along by the forms of articles added and removed.
 */

/** The lexicon with each form's frequency moved by `delta` (forms reaching 0 dropped, new ones merged in): one pass. */
export function applyDelta(lexicon: FormsLexicon, delta: ReadonlyMap<string, number>): FormsLexicon {
  const added = [...delta.keys()].filter((form) => !isStemTerm(form) && lexicon.frequency(form) === 0).sort();
  function* merged(): Generator<{ form: string; df: number }> {
    let j = 0;
    for (const { form, df } of lexicon.entries()) {
      while (j < added.length && added[j]! < form) {
        const extra = added[j++]!;
        yield { form: extra, df: delta.get(extra)! };
      }
      yield { form, df: df + (delta.get(form) ?? 0) };
    }
    while (j < added.length) {
      const extra = added[j++]!;
      yield { form: extra, df: delta.get(extra)! };
    }
  }
  return FormsLexicon.fromSorted(merged());
}

/**
 * The word forms of some segments with their live document frequencies
 * (paragraphs + headlines): a merge of the segments' sorted dictionaries,
 * counting live documents where a segment has deletions.
 */
export function lexiconOf(segments: readonly Segment[]): FormsLexicon {
  const lists = segments.flatMap((segment) => (['p', 't'] as const).map((c) => formsOf(segment, c)));
  return FormsLexicon.merge(lists);
}

function* formsOf(segment: Segment, c: CollectionKey): Generator<{ form: string; df: number }> {
  const n = segment.termCount(c);
  for (let i = 0; i < n; i++) {
    const form = segment.term(c, i);
    if (isStemTerm(form)) continue;
    let df = segment.termDf(c, i);
    if (segment.deletedCount > 0) df = liveDf(segment, c, i);
    if (df > 0) yield { form, df };
  }
}

function liveDf(segment: Segment, c: CollectionKey, i: number): number {
  const n = segment.termDf(c, i);
  const out = { docs: new Int32Array(n), tfs: new Uint16Array(n) };
  segment.readPostings(c, i, out, 0, 0);
  let live = 0;
  for (let k = 0; k < n; k++) {
    const doc = out.docs[k]!;
    let ord = doc;
    if (c === 'p') {
      // Paragraph → its article: binary search in the segment's paragraph table.
      let lo = 0;
      let hi = segment.articleCount - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (segment.firstPara[mid]! <= doc) lo = mid;
        else hi = mid - 1;
      }
      ord = lo;
    }
    if (!segment.deleted[ord]) live++;
  }
  return live;
}
