/**
 * A stem term of one form has no postings bytes of its own (segment format 9): a reader reads its form's.
 * What that must keep: every term's postings as before (the same documents and frequencies), in a built
 * segment and in a merged one whose sources held the stem under different forms.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { buildSegment } from '../src/index/segments/build-segment.js';
import { mergeSegments } from '../src/index/segments/merge-segments.js';
import { Segment } from '../src/index/segments/segment-reader.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';

function segmentOf(articles: readonly Article[], name: string): Segment {
  return Segment.fromBytes(buildSegment(articles, null)!, name);
}

function postings(segment: Segment, term: string): [number[], number[]] {
  const i = segment.findTerm('p', term);
  expect(i, term).toBeGreaterThanOrEqual(0);
  const df = segment.termDf('p', i);
  const out = { docs: new Int32Array(df), tfs: new Uint16Array(df) };
  segment.readPostings('p', i, out, 0, 0);
  return [[...out.docs], [...out.tfs]];
}

function shares(segment: Segment, term: string): boolean {
  return segment.sharesFormPostings('p', segment.findTerm('p', term));
}

const article = (id: string, paragraphs: string[]): Article => ({ ...syntheticArticles(1)[0]!, id, paragraphs });

describe('a stem term of one form', () => {
  it("has no postings of its own and reads its form's; a stem of several forms keeps its own", () => {
    const segment = segmentOf(
      [
        article('a', ['Haiti floods displaced thousands.', 'Haiti again: displacing more.']),
        article('b', ['The displacement of diesel engines. Haiti Haiti.']),
      ],
      'one',
    );
    // `haiti` is the only form of `~haiti`: the same documents and frequencies, no bytes of its own.
    expect(shares(segment, '~haiti')).toBe(true);
    expect(postings(segment, '~haiti')).toEqual(postings(segment, 'haiti'));
    expect(postings(segment, '~haiti')).toEqual([
      [0, 1, 2],
      [1, 1, 2],
    ]);
    // `displaced` and `displacing` share a stem: its postings are its own, the two forms' together.
    expect(shares(segment, '~displac')).toBe(false);
    expect(postings(segment, '~displac')).toEqual([
      [0, 1],
      [1, 1],
    ]);
  });

  it('is written with postings again where a merge brings a second form, and shares them where it does not', () => {
    const first = segmentOf([article('a', ['Displaced families in Haiti.'])], 'first');
    const second = segmentOf([article('b', ['Displacing families from Haiti, displacing more.'])], 'second');
    expect(shares(first, '~displac')).toBe(true);
    expect(shares(second, '~displac')).toBe(true);
    const merged = Segment.fromBytes(mergeSegments([first, second], null)!, 'merged');
    expect(shares(merged, '~displac')).toBe(false);
    expect(postings(merged, '~displac')).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(shares(merged, '~haiti')).toBe(true);
    expect(postings(merged, '~famili')).toEqual(postings(merged, 'families'));
    // The merge equals a build of the same articles, byte for byte.
    const built = buildSegment(
      [
        article('a', ['Displaced families in Haiti.']),
        article('b', ['Displacing families from Haiti, displacing more.']),
      ],
      null,
    )!;
    expect(Buffer.compare(mergeSegments([first, second], null)!, built)).toBe(0);
  });
});
