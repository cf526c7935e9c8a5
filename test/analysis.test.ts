import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tokenize, normalizeToken } from '../src/analysis/tokenize.js';
import { stemForm } from '../src/analysis/stem-form.js';
import { stemTerm, isStemTerm } from '../src/analysis/index-terms.js';
import { findPhrase } from '../src/analysis/find-phrase.js';
import { ANALYZER_VERSION } from '../src/analysis/analyzer-version.js';

const forms = (text: string) => tokenize(text).map((t) => t.form);
const written = (text: string) => tokenize(text).map((t) => text.slice(t.start, t.end));

describe('tokenize', () => {
  it('keeps newsroom words whole: initialisms, decimals, contractions, possessives', () => {
    const text = 'The U.S. said 1.3 million don’t know Mexico’s plan, e.g. 1,000 more.';
    expect(forms(text)).toEqual([
      'the',
      'u.s.',
      'said',
      '1.3',
      'million',
      'dont',
      'know',
      'mexico',
      'plan',
      'eg',
      '1000',
      'more',
    ]);
    expect(written(text)).toEqual([
      'The',
      'U.S.',
      'said',
      '1.3',
      'million',
      'don’t',
      'know',
      'Mexico’s',
      'plan',
      'e.g.',
      '1,000',
      'more',
    ]);
  });

  it('splits hyphenated words and drops symbols such as % and ticker brackets', () => {
    expect(forms('COVID-19 hit Port-au-Prince; 80% sent e-mail about <CH>')).toEqual([
      'covid',
      '19',
      'hit',
      'port',
      'au',
      'prince',
      '80',
      'sent',
      'e',
      'mail',
      'about',
      'ch',
    ]);
  });

  it('lowercases and folds accents, also when they are combining marks', () => {
    expect(forms('Fils-Aimé CAFÉ cafe\u0301 naïve Ærø')).toEqual(['fils', 'aime', 'cafe', 'cafe', 'naive', 'ærø']);
  });

  it('handles emoji, right-to-left text and astral letters without losing offsets', () => {
    const text = 'Haiti 🇭🇹 مرحبا بالعالم שלום 𝐀bc';
    for (const t of tokenize(text)) expect(text.slice(t.start, t.end).length).toBe(t.end - t.start);
    expect(forms(text)).toContain('haiti');
    expect(forms(text)).toContain('שלום');
  });

  it('yields tokens whose offsets slice back to the written token, in order and disjoint (property)', () => {
    const alphabet = fc.constantFrom(...'aZé.-’\' ,%1 \u0301🇭🇹שׁ<>&"U.S.'.split(''), 'U.S.', 'don’t', '1.3', ' ', '\n');
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join('')),
        (text) => {
          let end = 0;
          for (const t of tokenize(text)) {
            expect(t.start).toBeGreaterThanOrEqual(end);
            expect(t.end).toBeGreaterThan(t.start);
            expect(normalizeToken(text.slice(t.start, t.end))).toBe(t.form);
            expect(t.form).not.toBe('');
            end = t.end;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('stemming', () => {
  it('stems with Porter once: agreed and agree share a stem, and a stem is not stemmed again', () => {
    expect(stemForm('displaced')).toBe('displac');
    expect(stemForm('displacing')).toBe('displac');
    // Split from Porter's `displac` (stem-exceptions.ts): an engine's displacement is not people displaced.
    expect(stemForm('displacement')).toBe('displacement');
    expect(stemForm('agreed')).toBe(stemForm('agree'));
    expect(stemForm('1.3')).toBe('1.3');
  });

  it('never lengthens a word nor changes its first letter (the highlighter skips stemming on that basis)', () => {
    const suffixes = [
      '',
      's',
      'es',
      'ies',
      'ed',
      'ing',
      'ly',
      'ation',
      'ational',
      'izer',
      'ization',
      'bli',
      'ble',
      'alli',
      'y',
      'eed',
      'at',
      'bl',
      'iz',
      'ness',
      'ful',
      'ive',
      'ize',
      'iti',
      'e',
      'll',
    ];
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,9}$/), fc.constantFrom(...suffixes), (stem, suffix) => {
        const word = stem + suffix;
        const stemmed = stemForm(word);
        expect(stemmed.length).toBeLessThanOrEqual(word.length);
        expect(stemmed[0]).toBe(word[0]);
      }),
      { numRuns: 5000 },
    );
  });

  it('marks stem terms so they never collide with word forms', () => {
    expect(stemTerm('displaced')).toBe('~displac');
    expect(isStemTerm('~displac')).toBe(true);
    expect(isStemTerm('new')).toBe(false);
  });
});

describe('findPhrase', () => {
  it('finds consecutive forms in order, overlapping occurrences included', () => {
    const tokens = tokenize('very very very good, internally displaced people');
    expect(findPhrase(tokens, ['very', 'very'])).toEqual([0, 1]);
    expect(findPhrase(tokens, ['internally', 'displaced'])).toEqual([4]);
    expect(findPhrase(tokens, ['displaced', 'internally'])).toEqual([]);
  });
});

describe('analyzer version', () => {
  it('is a revision plus a digest of the analysis sources', () => {
    expect(ANALYZER_VERSION).toMatch(/^\d+-[0-9a-f]{12}$/);
  });
});
