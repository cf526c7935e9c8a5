import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { processForm } from '../src/index/segments/build-segment.js';
import { invertTexts } from '../src/index/segments/invert-documents.js';
import { joinInverted } from '../src/index/segments/join-inverted.js';

/** Words that give forms, stems, initialisms, possessives and empty-looking tokens. */
const WORD = fc.constantFrom(
  'the',
  'The',
  'US',
  'U.S.',
  'us',
  "Mexico's",
  'displaced',
  'Displacing',
  '1,000',
  'café',
  'oil',
  'OIL',
  '—',
  'x',
);
const TEXT = fc.array(WORD, { maxLength: 12 }).map((words) => words.join(' '));

describe('inverting documents in two parts', () => {
  it('joins two parts into exactly what inverting every document at once gives', () => {
    fc.assert(
      fc.property(fc.array(TEXT, { maxLength: 12 }), fc.nat(), (texts, at) => {
        const cut = texts.length === 0 ? 0 : at % (texts.length + 1);
        const joined = joinInverted(
          invertTexts(texts.slice(0, cut), processForm),
          invertTexts(texts.slice(cut), processForm),
        );
        expect(joined).toEqual(invertTexts(texts, processForm));
      }),
      { numRuns: 500 },
    );
  });
});
