import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/corpus/article.js';
import { findPhrase } from '../src/analysis/find-phrase.js';
import { nearPairs, sloppyOccurrences, tokenPositions, type Span } from '../src/analysis/find-proximity.js';
import { tokenize } from '../src/analysis/tokenize.js';
import { stemTerm } from '../src/analysis/index-terms.js';
import { buildIndex } from '../src/index/index-writer.js';
import { ArchiveIndex, type Collection } from '../src/index/archive-index.js';
import { buildSegment } from '../src/index/segments/build-segment.js';
import { mergeSegments } from '../src/index/segments/merge-segments.js';
import { Segment } from '../src/index/segments/segment-reader.js';
import { CorruptIndexError } from '../src/errors.js';
import { syntheticArticles } from './helpers/synthetic-articles.js';
import { PositionsReader } from '../src/index/positions-reader.js';
import { compilePlan } from '../src/query/plan/compile-plan.js';
import { parseQuery } from '../src/query/parse/parse-query.js';
import { PhraseChecker } from '../src/query/execute/phrase-checker.js';
import {
  operandMatcher,
  proximityGap,
  ProximityChecker,
  type CompiledProximity,
} from '../src/query/execute/proximity-checker.js';
import { acquireMatches } from '../src/query/execute/query-matches.js';
import { createFastScorer } from '../src/query/execute/term-scorer.js';

/** The words most texts are made of, so that phrases and proximities often hold. */
const COMMON = ['the', 'The', 'of', 'flood', 'floods', 'Kenya', 'Kenya’s', 'U.S.', 'rate', 'rates'];

/** Words as written, the analyzer's hard cases among them: initialisms, apostrophes, hyphens, numbers, accents, symbols. */
const WRITTEN = [
  'the',
  'The',
  'of',
  'a',
  'flood',
  'floods',
  'flooding',
  'Kenya',
  'Kenya’s',
  'kenya',
  'U.S.',
  'US',
  'u.s.',
  'U.K.',
  'e.g.',
  "don't",
  "Mexico's",
  'Mexico',
  'COVID-19',
  'covid',
  '19',
  'Port-au-Prince',
  '1,000',
  '1.3',
  '80%',
  'café',
  'cafe',
  'rate',
  'rates',
  'rated',
  'bank',
  'banks',
  '—',
  '-',
  '.',
  ',',
  '<b>',
  'vote',
  'voters',
  'voting',
  'it’s',
  "'",
  'naïve',
  'NAIVE',
];

/** Query words of the common texts. */
const COMMON_QUERY_WORDS = ['the', 'of', 'flood', 'floods', 'kenya', 'u.s.', 'rate', 'rates'];

/** Query words: forms and spellings the corpus holds, some it does not. */
const QUERY_WORDS = [
  'the',
  'of',
  'a',
  'flood',
  'floods',
  'flooding',
  'kenya',
  'u.s.',
  'us',
  'uk',
  'dont',
  'mexico',
  'covid',
  '19',
  'port',
  'au',
  'prince',
  '1000',
  '1.3',
  '80',
  'cafe',
  'rate',
  'rates',
  'bank',
  'vote',
  'voters',
  'its',
  'naive',
  'absent',
];

const text = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...COMMON) },
      { weight: 1, arbitrary: fc.constantFrom(...WRITTEN) },
    ),
    { minLength: 0, maxLength: 40 },
  )
  .map((words) => words.join(' '));

const articles = fc.array(fc.record({ title: text, paragraphs: fc.array(text, { minLength: 1, maxLength: 4 }) }), {
  minLength: 1,
  maxLength: 12,
});

const word = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...COMMON_QUERY_WORDS) },
  { weight: 1, arbitrary: fc.constantFrom(...QUERY_WORDS) },
);
const phrase = fc.array(word, { minLength: 2, maxLength: 3 }).map((w) => `"${w.join(' ')}"`);
const operand = fc.oneof(
  word,
  phrase,
  word.map((w) => `${w.slice(0, 3)}*`),
);
const query = fc.oneof(
  phrase,
  fc.tuple(operand, fc.integer({ min: 0, max: 6 }), operand).map(([a, n, b]) => `${a} NEAR/${n} ${b}`),
  fc.tuple(operand, fc.integer({ min: 0, max: 6 }), operand).map(([a, n, b]) => `${a} ADJ/${n} ${b}`),
  fc
    .tuple(fc.array(word, { minLength: 2, maxLength: 3 }), fc.integer({ min: 0, max: 5 }))
    .map(([w, n]) => `"${w.join(' ')}"~${n}`),
);

function toArticles(drawn: { title: string; paragraphs: string[] }[]): Article[] {
  return drawn.map((a, i) => ({
    id: `a${i}`,
    title: a.title,
    date: '2020-01-01',
    authors: [],
    source: null,
    section: null,
    url: null,
    tags: [],
    paragraphs: a.paragraphs,
    file: `a${i}.txt`,
  }));
}

/**
 * The check as it was made before positions were stored: the document's text
 * re-tokenized, a proximity of words by a scan of its tokens' forms, any other on
 * its token list (`proximityGap`).
 */
function retokenizedGap(textOf: string, item: CompiledProximity): number {
  const matchers = item.operands.map(operandMatcher);
  if (item.operands.some((o) => o.forms !== null)) return proximityGap(textOf, tokenize(textOf), item, matchers);
  const tests = matchers.map((m) => ('matches' in m ? m.matches : () => false));
  const positions = tokenPositions(textOf, tests, new Uint8Array(128).fill(1));
  if (item.mode === 'slop') {
    let best = -1;
    for (const occurrence of sloppyOccurrences(positions, item.distance)) {
      const gap = occurrence[occurrence.length - 1]! - occurrence[0]! + 1 - item.operands.length;
      if (best < 0 || gap < best) best = gap;
    }
    return best;
  }
  const spans = positions.map((list) => list.map((p): Span => [p, p]));
  let best = -1;
  for (const [x, y] of nearPairs(spans[0]!, spans[1]!, item.distance, item.ordered)) {
    const gap = y[0] > x[1] ? y[0] - x[1] - 1 : x[0] - y[1] - 1;
    if (best < 0 || gap < best) best = gap;
  }
  return best;
}

/** Each stem term of a text's tokens, with the positions of the tokens whose form has that stem. */
function stemPositions(textOf: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  tokenize(textOf).forEach((token, p) => {
    if (token.form === '') return;
    const stem = stemTerm(token.form);
    const list = out.get(stem) ?? [];
    list.push(p);
    out.set(stem, list);
  });
  return out;
}

/** Every document of both collections, with its text. */
function documents(index: ArchiveIndex): [Collection, number, string][] {
  const out: [Collection, number, string][] = [];
  for (let doc = 0; doc < index.paraArticle.length; doc++) out.push(['paragraphs', doc, index.paragraphText(doc)]);
  for (let ord = 0; ord < index.titleArticle.length; ord++) out.push(['titles', ord, index.titleText(ord)]);
  return out;
}

function checkers(index: ArchiveIndex): { phrases: PhraseChecker; proximities: ProximityChecker } {
  const scorer = createFastScorer(index);
  const matches = acquireMatches(index.paraArticle.length, index.articleSlots, 1);
  const phrases = new PhraseChecker(index, scorer, null, matches);
  return { phrases, proximities: new ProximityChecker(index, scorer, phrases, matches, 1) };
}

describe('token positions', () => {
  it('are the indexes of each term’s tokens in tokenize’s list, in every document, one segment or many', () => {
    fc.assert(
      fc.property(articles, fc.integer({ min: 1, max: 4 }), (drawn, perSegment) => {
        const index = buildIndex(toArticles(drawn), { segmentArticles: perSegment });
        const reader = new PositionsReader(index);
        for (const [collection, doc, textOf] of documents(index)) {
          const expected = new Map<string, number[]>();
          tokenize(textOf).forEach((token, p) => {
            const list = expected.get(token.form) ?? [];
            list.push(p);
            expected.set(token.form, list);
          });
          for (const [form, list] of expected)
            expect(Array.from(reader.positionsOf(collection, form, doc))).toEqual(list);
          for (const [stem, list] of stemPositions(textOf))
            expect(Array.from(reader.positionsOf(collection, stem, doc)), `${stem} in ${doc}`).toEqual(list);
          expect(reader.positionsOf(collection, 'absent', doc).length).toBe(0);
          expect(reader.positionsOf(collection, '~absent', doc).length).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('of a stem term are its forms’ merged, as a stored list gave them, after merges that drop deleted articles (and with them some forms)', () => {
    fc.assert(
      fc.property(
        articles,
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (drawn, perSegment, deleted) => {
          const list = toArticles(drawn);
          const parts: Article[][] = [];
          for (let i = 0; i < list.length; i += perSegment) parts.push(list.slice(i, i + perSegment));
          const segments = parts.map((part, s) => Segment.fromBytes(buildSegment(part, null)!, `s${s}`));
          let n = 0;
          for (const segment of segments)
            for (let i = 0; i < segment.articleCount; i++) if (deleted[n++]) segment.deleteArticle(i);
          // Merged in two steps when there are several sources: a merged segment is a source too.
          const half = Math.ceil(segments.length / 2);
          const first = Segment.fromBytes(mergeSegments(segments.slice(0, half), null)!, 'm0');
          const merged =
            half < segments.length
              ? [first, Segment.fromBytes(mergeSegments(segments.slice(half), null)!, 'm1')]
              : [first];
          const index = new ArchiveIndex(merged);
          const reader = new PositionsReader(index);
          for (const [collection, doc, textOf] of documents(index))
            for (const [stem, want] of stemPositions(textOf))
              expect(Array.from(reader.positionsOf(collection, stem, doc)), `${stem} in ${doc}`).toEqual(want);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('decide phrases, NEAR, ADJ and sloppy phrases as re-tokenizing each document did (random corpora and queries)', () => {
    let held = 0;
    let checked = 0;
    fc.assert(
      fc.property(
        articles,
        fc.integer({ min: 1, max: 4 }),
        fc.array(query, { minLength: 1, maxLength: 4 }),
        (drawn, perSegment, queries) => {
          const index = buildIndex(toArticles(drawn), { segmentArticles: perSegment });
          const { phrases, proximities } = checkers(index);
          const docs = documents(index);
          for (const q of queries) {
            const plan = compilePlan(index, parseQuery(q, { prefixLast: false }), { typos: false, prefix: false });
            for (const item of plan.clauses.flat()) {
              if (item.type === 'phrase') {
                for (const [collection, doc, textOf] of docs) {
                  const expected = findPhrase(tokenize(textOf), item.forms).length > 0;
                  expect(phrases.holdsPhrase(collection, doc, item.forms), `${q} in ${collection} ${doc}`).toBe(
                    expected,
                  );
                  checked++;
                  if (expected) held++;
                }
              } else if (item.type === 'proximity') {
                for (const [collection, doc, textOf] of docs) {
                  const expected = retokenizedGap(textOf, item);
                  expect(proximities.gapIn(collection, doc, item), `${q} in ${collection} ${doc}`).toBe(expected);
                  checked++;
                  if (expected >= 0) held++;
                }
              }
            }
          }
        },
      ),
      { numRuns: 80 },
    );
    // Not a vacuous test: many checks, and a fair share of them hold.
    expect(checked).toBeGreaterThan(1000);
    expect(held).toBeGreaterThan(checked / 50);
  });

  it('are read right across blocks of 128 postings and segments, in ascending order, descending order and skipping', () => {
    const index = buildIndex(syntheticArticles(160, 3), { segmentArticles: 70 });
    expect(index.segments.length).toBe(3);
    const docs = documents(index).filter(([collection]) => collection === 'paragraphs');
    const expected = (textOf: string, term: string) =>
      tokenize(textOf).flatMap((t, p) => (t.form === term || stemTerm(t.form) === term ? [p] : []));
    const reader = new PositionsReader(index);
    let holding = 0;
    for (const order of [docs, [...docs].reverse(), docs.filter((_, i) => i % 7 === 3)])
      for (const [, doc, textOf] of order)
        for (const term of ['the', 'of', '~govern']) {
          const want = expected(textOf, term);
          expect(Array.from(reader.positionsOf('paragraphs', term, doc)), `${term} in ${doc}`).toEqual(want);
          if (want.length > 0) holding++;
        }
    // "the" alone is in far more than 128 paragraphs of each segment: several blocks each.
    expect(holding).toBeGreaterThan(1000);
  });

  it('survive a merge that drops deleted articles: each remaining document keeps its positions', () => {
    const list = toArticles(
      Array.from({ length: 30 }, (_, i) => ({
        title: `flood ${i} of the kenya flood`,
        paragraphs: [`the flood of ${i} U.S. flood`, `kenya’s rates the rates of the flood ${'the '.repeat(i)}end`],
      })),
    );
    const segments = [list.slice(0, 12), list.slice(12)].map((part, s) =>
      Segment.fromBytes(buildSegment(part, null)!, `s${s}`),
    );
    for (let i = 0; i < 12; i += 3) segments[0]!.deleteArticle(i);
    segments[1]!.deleteArticle(5);
    const merged = new ArchiveIndex([Segment.fromBytes(mergeSegments(segments, null)!, 'merged')]);
    expect(merged.articleCount).toBe(25);
    const reader = new PositionsReader(merged);
    for (const [collection, doc, textOf] of documents(merged)) {
      const tokens = tokenize(textOf);
      expect(Array.from(reader.positionsOf(collection, 'the', doc))).toEqual(
        tokens.flatMap((t, p) => (t.form === 'the' ? [p] : [])),
      );
      expect(Array.from(reader.positionsOf(collection, '~flood', doc))).toEqual(
        tokens.flatMap((t, p) => (t.form === 'flood' ? [p] : [])),
      );
    }
  });

  it('keep every position of a term written more than 65,535 times in one paragraph (its frequency is capped)', () => {
    const many = 70_000;
    const list = toArticles([{ title: 'the end', paragraphs: [`${'the '.repeat(many)}end`, 'the end'] }]);
    const segment = Segment.fromBytes(buildSegment(list, null)!, 's0');
    const merged = Segment.fromBytes(mergeSegments([segment], null)!, 'merged');
    for (const index of [new ArchiveIndex([segment]), new ArchiveIndex([merged])]) {
      const reader = new PositionsReader(index);
      const the = reader.positionsOf('paragraphs', 'the', 0);
      expect(the.length).toBe(many);
      expect(the[many - 1]).toBe(many - 1);
      expect(Array.from(reader.positionsOf('paragraphs', 'end', 0))).toEqual([many]);
      // The stem term's positions are its one form's, all of them: its frequency is capped too.
      expect(reader.positionsOf('paragraphs', '~the', 0).length).toBe(many);
      expect(Array.from(reader.positionsOf('paragraphs', 'the', 1))).toEqual([0]);
    }
  });

  it('are a corrupt index, never a wrong answer, when their bytes are damaged', () => {
    const list = toArticles([{ title: 'flood', paragraphs: ['the flood of the flood', 'flood the'] }]);
    const bytes = buildSegment(list, null)!;
    const segment = Segment.fromBytes(bytes, 's0');
    // The last byte of the paragraphs' positions section (the last term's, `~the`: its list of forms): a number cut short.
    const header = JSON.parse(bytes.toString('utf8', bytes.readDoubleLE(8))) as {
      sections: Record<string, [number, number, number]>;
    };
    const [offset, length] = header.sections['p.positions']!;
    bytes[offset + length - 1] = 0x80;
    expect(() => new PositionsReader(new ArchiveIndex([segment])).positionsOf('paragraphs', '~the', 1)).toThrow(
      CorruptIndexError,
    );
  });
});
