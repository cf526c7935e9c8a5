import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormsLexicon, LayeredLexicon, type LexiconEntry } from '../src/index/lexicon/lexicon.js';

// Pieces that make shared prefixes likely, with accented letters (2 UTF-8 bytes) and a
// letter outside the BMP (a surrogate pair in UTF-16, 4 bytes in UTF-8).
const PIECES = ['a', 'b', 's', 'e', 'é', 'ü', 'st', 'an', 'ö', '𠀀'];
const formArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((p) => p.join(''));
const countsArb = fc.dictionary(formArb, fc.integer({ min: 1, max: 6 }), { maxKeys: 40 });

function sortedEntries(counts: Record<string, number>): LexiconEntry[] {
  return Object.keys(counts)
    .sort()
    .map((form) => ({ form, df: counts[form]! }));
}

/** Edit distance over UTF-16 code units: the textbook full table. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let j = 1; j <= a.length; j++) {
    const row = [j];
    for (let k = 1; k <= b.length; k++) {
      row[k] = Math.min(
        prev[k - 1]! + (a.charCodeAt(j - 1) === b.charCodeAt(k - 1) ? 0 : 1),
        prev[k]! + 1,
        row[k - 1]! + 1,
      );
    }
    prev = row;
  }
  return prev[b.length]!;
}

function flipBit(bytes: Buffer, bit: number): Buffer {
  const flipped = Buffer.from(bytes);
  flipped.writeUInt8(flipped.readUInt8(bit >> 3) ^ (1 << (bit & 7)), bit >> 3);
  return flipped;
}

function bruteCompletions(entries: LexiconEntry[], prefix: string, k: number, excludeSelf: boolean): LexiconEntry[] {
  return entries
    .filter((e) => e.form.startsWith(prefix) && !(excludeSelf && e.form === prefix))
    .sort((a, b) => b.df - a.df || (a.form < b.form ? -1 : 1))
    .slice(0, k);
}

const sample: LexiconEntry[] = [
  { form: 'govern', df: 4 },
  { form: 'government', df: 40 },
  { form: 'governments', df: 7 },
  { form: 'governor', df: 7 },
  { form: 'gown', df: 2 },
  { form: 'munich', df: 9 },
  { form: 'münchen', df: 3 },
  { form: '~govern', df: 51 },
];

describe('FormsLexicon', () => {
  it('gives the most frequent completions of a prefix, ties alphabetical, never stems', () => {
    const lexicon = FormsLexicon.fromSorted(sample);
    expect(lexicon.size).toBe(7);
    // 'governments' and 'governor' tie on 7 documents: alphabetical order decides.
    expect(lexicon.completions('gov', 3)).toEqual([
      { form: 'government', df: 40 },
      { form: 'governments', df: 7 },
      { form: 'governor', df: 7 },
    ]);
    expect(lexicon.completions('govern', 10, true).map((c) => c.form)).toEqual([
      'government',
      'governments',
      'governor',
    ]);
    expect(lexicon.completions('govern', 10).map((c) => c.form)).toContain('govern');
    expect(lexicon.completions('~', 10)).toEqual([]);
    expect(lexicon.completions('x', 10)).toEqual([]);
    expect(lexicon.frequency('münchen')).toBe(3);
    expect(lexicon.frequency('~govern')).toBe(0);
    expect(lexicon.frequency('gove')).toBe(0);
  });

  it('finds typos within the edit distance, counting an accented letter as one edit and a swap as two', () => {
    const lexicon = FormsLexicon.fromSorted(sample);
    expect(lexicon.fuzzy('govenment', 1)).toEqual(new Map([['government', 1]]));
    // Plain Levenshtein, as MiniSearch: the swapped "ne" costs two edits, and "governments" is a third one away.
    expect(lexicon.fuzzy('governmnet', 2)).toEqual(new Map([['government', 2]]));
    expect(lexicon.fuzzy('governmnet', 1)).toEqual(new Map());
    expect(lexicon.fuzzy('munchen', 1)).toEqual(new Map([['münchen', 1]]));
    expect(lexicon.fuzzy('gown', 0)).toEqual(new Map([['gown', 0]]));
    expect(() => lexicon.fuzzy('gown', -1)).toThrow(RangeError);
  });

  it('walks only the forms in at least so many documents when asked, as the fuzzy walk of those alone', () => {
    const lexicon = FormsLexicon.fromSorted(sample);
    // "governments" (7 documents) and "government" (40) are both one edit from "governmenta".
    expect(lexicon.fuzzy('governmenta', 1)).toEqual(
      new Map([
        ['government', 1],
        ['governments', 1],
      ]),
    );
    expect(lexicon.fuzzyAtLeast('governmenta', 1, 10)).toEqual(new Map([['government', 1]]));
    expect(lexicon.fuzzyAtLeast('governmenta', 1, 41)).toEqual(new Map());
    expect(lexicon.atLeast(10)).toBe(lexicon.atLeast(10));
    expect([...lexicon.atLeast(7).entries()].map((e) => e.form)).toEqual([
      'government',
      'governments',
      'governor',
      'munich',
    ]);
  });

  it('sees, in a lexicon moved by changes, the forms the changes bring to the threshold and not those they take below it', () => {
    const layered = new LayeredLexicon(FormsLexicon.fromSorted(sample));
    layered.apply(
      new Map([
        ['governments', 5], // 7 → 12
        ['government', -35], // 40 → 5
        ['governmenty', 11], // new, 11
      ]),
    );
    expect(layered.fuzzyAtLeast('governmenta', 1, 10)).toEqual(
      new Map([
        ['governments', 1],
        ['governmenty', 1],
      ]),
    );
    expect(layered.fuzzyAtLeast('governmenta', 1, 12)).toEqual(new Map([['governments', 1]]));
  });

  it('gives the df of every form and 0 for any other string (property)', () => {
    fc.assert(
      fc.property(countsArb, fc.array(formArb, { maxLength: 10 }), (counts, others) => {
        const lexicon = FormsLexicon.fromSorted(sortedEntries(counts));
        for (const [form, df] of Object.entries(counts)) expect(lexicon.frequency(form)).toBe(df);
        for (const form of others) expect(lexicon.frequency(form)).toBe(counts[form] ?? 0);
      }),
    );
  });

  it('completes a prefix like filtering and sorting every form (property)', () => {
    fc.assert(
      fc.property(
        countsArb,
        fc.array(formArb, { maxLength: 8 }),
        fc.nat(12),
        fc.boolean(),
        (counts, prefixes, k, excludeSelf) => {
          const entries = sortedEntries(counts);
          const lexicon = FormsLexicon.fromSorted(entries);
          // Prefixes of stored forms (cut anywhere, even inside a surrogate pair) and random ones.
          const cuts = entries.flatMap((e) => [e.form.slice(0, 1), e.form.slice(0, 2), e.form.slice(0, 3)]);
          for (const prefix of ['', ...cuts, ...prefixes]) {
            expect(lexicon.completions(prefix, k, excludeSelf), prefix).toEqual(
              bruteCompletions(entries, prefix, k, excludeSelf),
            );
          }
        },
      ),
    );
  });

  it('finds exactly the forms within distance 1 and 2 that comparing with every form finds (property)', () => {
    fc.assert(
      fc.property(countsArb, fc.array(formArb, { maxLength: 6 }), (counts, queries) => {
        const entries = sortedEntries(counts);
        const lexicon = FormsLexicon.fromSorted(entries);
        for (const query of [...queries, ...entries.slice(0, 4).map((e) => e.form + 'a')]) {
          for (const maxDistance of [1, 2]) {
            const expected = new Map<string, number>();
            for (const { form } of entries) {
              const distance = levenshtein(query, form);
              if (distance <= maxDistance) expected.set(form, distance);
            }
            expect(lexicon.fuzzy(query, maxDistance), `${query} ≤ ${maxDistance}`).toEqual(expected);
          }
        }
      }),
    );
  });

  it('finds typos among many forms sharing long prefixes, skipping dead branches correctly (property)', () => {
    // Larger vocabularies over two letters: deep shared prefixes, so rows are reused and whole ranges skipped.
    const deepCounts = fc.dictionary(fc.stringMatching(/^[ab]{0,10}$/), fc.constant(1), { maxKeys: 300 });
    fc.assert(
      fc.property(
        deepCounts,
        fc.stringMatching(/^[ab]{0,10}$/),
        fc.integer({ min: 0, max: 3 }),
        (counts, query, maxDistance) => {
          const entries = sortedEntries(counts);
          const expected = new Map<string, number>();
          for (const { form } of entries) {
            const distance = levenshtein(query, form);
            if (distance <= maxDistance) expected.set(form, distance);
          }
          const lexicon = FormsLexicon.fromSorted(entries);
          expect(lexicon.fuzzy(query, maxDistance)).toEqual(expected);
          // The trie walk of `fuzzyAtLeast`, over the same forms, in the same order.
          expect([...lexicon.fuzzyAtLeast(query, maxDistance, 1)]).toEqual([...expected]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('walks the forms in at least n documents as a trie: the same forms, distances and order as comparing with each (property)', () => {
    fc.assert(
      fc.property(
        countsArb,
        fc.array(formArb, { maxLength: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (counts, queries, minDf) => {
          const entries = sortedEntries(counts);
          const lexicon = FormsLexicon.fromSorted(entries);
          for (const query of [...queries, ...entries.slice(0, 4).map((e) => e.form + 'a'), '']) {
            for (const maxDistance of [0, 1, 2]) {
              const expected: [string, number][] = [];
              for (const { form, df } of entries) {
                const distance = levenshtein(query, form);
                if (df >= minDf && distance <= maxDistance) expected.push([form, distance]);
              }
              expect([...lexicon.fuzzyAtLeast(query, maxDistance, minDf)], `${query} ≤ ${maxDistance}`).toEqual(
                expected,
              );
            }
          }
        },
      ),
    );
  });

  it('merges sorted lists by summing the dfs of equal forms, skipping stems and empty counts (property)', () => {
    const listArb = fc.dictionary(
      fc.oneof(
        formArb,
        formArb.map((f) => `~${f}`),
      ),
      fc.integer({ min: -1, max: 4 }),
      { maxKeys: 25 },
    );
    fc.assert(
      fc.property(fc.array(listArb, { maxLength: 6 }), (lists) => {
        const totals = new Map<string, number>();
        for (const list of lists) {
          for (const [form, df] of Object.entries(list)) {
            if (df > 0 && !form.startsWith('~')) totals.set(form, (totals.get(form) ?? 0) + df);
          }
        }
        const expected = [...totals.keys()].sort().map((form) => ({ form, df: totals.get(form)! }));
        // Lists handed over as generators, as a segment's dictionary streams them.
        function* stream(counts: Record<string, number>) {
          yield* sortedEntries(counts);
        }
        expect([...FormsLexicon.merge(lists.map(stream)).entries()]).toEqual(expected);
      }),
    );
  });

  it('builds the same lexicon from sorted entries and from one merged list', () => {
    expect([...FormsLexicon.merge([sample]).entries()]).toEqual([...FormsLexicon.fromSorted(sample).entries()]);
    expect(FormsLexicon.merge([]).size).toBe(0);
    expect(FormsLexicon.fromSorted([]).completions('', 5)).toEqual([]);
  });

  it('refuses input that is not sorted and distinct, or that cannot be stored faithfully', () => {
    expect(() =>
      FormsLexicon.fromSorted([
        { form: 'b', df: 1 },
        { form: 'a', df: 1 },
      ]),
    ).toThrow(/sorted/);
    expect(() =>
      FormsLexicon.fromSorted([
        { form: 'a', df: 1 },
        { form: 'a', df: 2 },
      ]),
    ).toThrow(/sorted/);
    expect(() => FormsLexicon.fromSorted([{ form: 'a', df: 1.5 }])).toThrow(/integer/);
    expect(() => FormsLexicon.fromSorted([{ form: 'a\ud800', df: 1 }])).toThrow(/surrogate/);
    expect(() => FormsLexicon.merge([[{ form: 'a', df: 2 ** 30 }], [{ form: 'a', df: 2 ** 30 }]])).toThrow(/2\^31/);
  });

  it('decodes what it encodes into the same forms and dfs, from any byte offset (property)', () => {
    fc.assert(
      fc.property(countsArb, fc.nat(7), (counts, shift) => {
        const entries = sortedEntries(counts);
        const bytes = FormsLexicon.fromSorted(entries).encode();
        // A section read out of a larger file need not start 4-byte aligned.
        const holder = Buffer.alloc(bytes.length + shift);
        bytes.copy(holder, shift);
        const decoded = FormsLexicon.decode(holder.subarray(shift));
        expect([...decoded.entries()]).toEqual(entries);
        expect(decoded.encode().equals(bytes)).toBe(true);
        if (entries.length > 0) expect(decoded.fuzzy(entries[0]!.form, 1).get(entries[0]!.form)).toBe(0);
      }),
      { numRuns: 50 },
    );
  });

  it('throws on a truncated, extended or bit-flipped buffer instead of decoding it', () => {
    const bytes = FormsLexicon.fromSorted(sample).encode();
    for (let cut = 0; cut < bytes.length; cut++)
      expect(() => FormsLexicon.decode(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow();
    expect(() => FormsLexicon.decode(Buffer.concat([bytes, Buffer.alloc(8)]))).toThrow();
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = flipBit(bytes, bit);
      expect(() => FormsLexicon.decode(flipped), `bit ${bit}`).toThrow();
    }
  });

  it('still checks the header and the offsets when the body checksum is left to the container', () => {
    const bytes = Buffer.from(FormsLexicon.fromSorted(sample).encode());
    for (let bit = 0; bit < 24 * 8; bit++) {
      const flipped = flipBit(bytes, bit);
      expect(() => FormsLexicon.decode(flipped, { checkBody: false }), `bit ${bit}`).toThrow();
    }
    // The last offset must equal the UTF-8 length the header gives.
    bytes.writeUInt32LE(bytes.readUInt32LE(24 + 4 * 7) + 1, 24 + 4 * 7);
    expect(() => FormsLexicon.decode(bytes, { checkBody: false })).toThrow(/offsets/);
  });
});
