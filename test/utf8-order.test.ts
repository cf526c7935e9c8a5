import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareUtf8, startsWithUtf8, termKey } from '../src/index/segments/utf8-order.js';
import { FormsLexicon } from '../src/index/lexicon/lexicon.js';
import { buildSegment } from '../src/index/segments/build-segment.js';
import { Segment } from '../src/index/segments/segment-reader.js';

// Characters from each UTF-8 length, and from both sides of the one place where UTF-8 byte order and
// UTF-16 order disagree: U+E000–U+FFFF (`\ue000`, `ﬁ`) against characters above U+FFFF (`𠀀`, `😀`).
const PIECES = ['a', 'b', 'z', 'é', 'ÿ', 'ࠀ', '\ud7ff', '\ue000', 'ﬁ', '\uffef', '𠀀', '😀', 'ab'];
const wordArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 5 }).map((p) => p.join(''));
const sign = (n: number) => Math.sign(n);

describe('dictionary lookups on UTF-8 bytes', () => {
  it('orders two UTF-8 strings by their bytes as JavaScript orders the strings (UTF-16 code units)', () => {
    fc.assert(
      fc.property(wordArb, wordArb, (a, b) => {
        const bytes = Buffer.from(a, 'utf8');
        expect(sign(compareUtf8(bytes, 0, bytes.length, termKey(b)!))).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(startsWithUtf8(bytes, 0, bytes.length, termKey(b)!)).toBe(a.startsWith(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('has no byte key for a lone surrogate (lookups then compare strings)', () => {
    expect(termKey('a\ud800b')).toBeNull();
    expect(termKey('\udc00')).toBeNull();
    expect(termKey('😀')).toEqual(Buffer.from('😀', 'utf8'));
  });

  it('finds every form of a lexicon and its frequency, and no absent one, whatever the characters', () => {
    fc.assert(
      fc.property(fc.uniqueArray(wordArb, { maxLength: 30 }), fc.array(wordArb, { maxLength: 10 }), (forms, probes) => {
        const sorted = [...forms].filter((f) => f !== '').sort();
        const lexicon = FormsLexicon.fromSorted(sorted.map((form, i) => ({ form, df: i + 1 })));
        sorted.forEach((form, i) => expect(lexicon.frequency(form)).toBe(i + 1));
        for (const probe of probes) {
          expect(lexicon.frequency(probe)).toBe(sorted.includes(probe) ? sorted.indexOf(probe) + 1 : 0);
          const expected = sorted.filter((f) => f.startsWith(probe)).length;
          expect(lexicon.completions(probe, 1000).length).toBe(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds a segment term by its bytes where string order and byte order disagree', () => {
    const words = ['ﬁrst', '𠀀', 'zebra', 'alpha'];
    const segment = Segment.fromBytes(
      buildSegment(
        [
          {
            id: 'a',
            title: 'T',
            date: null,
            authors: [],
            source: null,
            section: null,
            url: null,
            tags: [],
            paragraphs: [words.join(' ')],
            file: 'a.txt',
          },
        ],
        null,
      )!,
      'x',
    );
    const terms = Array.from({ length: segment.termCount('p') }, (_, i) => segment.term('p', i));
    expect(terms).toEqual([...terms].sort());
    terms.forEach((term, i) => expect(segment.findTerm('p', term)).toBe(i));
    expect(segment.findTerm('p', 'zzz')).toBe(-1);
    expect(segment.lowerBound('p', '\ue000')).toBe(
      terms.findIndex((t) => t >= '\ue000') === -1 ? terms.length : terms.findIndex((t) => t >= '\ue000'),
    );
  });
});
