import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Highlighter, type MatchedTerm } from '../src/snippet/find-highlights.js';
import { buildSnippet } from '../src/snippet/build-snippet.js';
import { escapeHtml, renderHtml } from '../src/snippet/render-html.js';
import { stemTerm } from '../src/analysis/index-terms.js';

const SEED_P7 =
  'In Haiti, gang attacks have left thousands dead and wounded in recent years. Over 80% of the capital city Port-au-Prince has been estimated to be under gang control, and nearly 1.3 million people nationwide are internally displaced because of the violence, the UN says.';

function exactAndStem(form: string, clause = 0): MatchedTerm[] {
  return [
    { term: form, kind: 'exact', queryTerm: form, clause },
    { term: stemTerm(form), kind: 'stem', queryTerm: form, clause },
  ];
}

function unescapeHtml(html: string): string {
  return html
    .replace(/<\/?mark>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('buildSnippet', () => {
  it('crops the seed paragraph around "displaced", whole words only, with … where it cut', () => {
    const snippet = buildSnippet(SEED_P7, new Highlighter(exactAndStem('displaced'), []), 30);
    expect(snippet.text).toBe(
      '…Over 80% of the capital city Port-au-Prince has been estimated to be under gang control, and nearly 1.3 million people nationwide are internally displaced because of the violence, the UN…',
    );
    expect(snippet.html).toBe(
      '…Over 80% of the capital city Port-au-Prince has been estimated to be under gang control, and nearly 1.3 million people nationwide are internally <mark>displaced</mark> because of the violence, the UN…',
    );
    expect(snippet.highlights).toEqual([{ start: 146, length: 9, term: 'displaced', kind: 'exact' }]);
    expect(snippet.text.slice(146, 155)).toBe('displaced');
    expect(snippet.croppedStart).toBe(true);
    expect(snippet.croppedEnd).toBe(true);
  });

  it('marks every word of the same stem, as a stem match, and no other word', () => {
    // `displacement` has a stem of its own (stem-exceptions.ts): not marked.
    const text = 'Displacement grew as more people were displaced; displacing them was a policy.';
    const snippet = buildSnippet(text, new Highlighter(exactAndStem('displacing'), []), 30);
    expect(snippet.html).toBe(
      'Displacement grew as more people were <mark>displaced</mark>; <mark>displacing</mark> them was a policy.',
    );
    expect(snippet.highlights.map((h) => h.kind)).toEqual(['stem', 'exact']);
    expect(snippet.croppedStart || snippet.croppedEnd).toBe(false);
  });

  it('marks prefix and typo matches with their kind', () => {
    const terms: MatchedTerm[] = [
      { term: 'government', kind: 'prefix', queryTerm: 'gov', clause: 0 },
      { term: 'displaced', kind: 'typo', queryTerm: 'dsplaced', clause: 1 },
    ];
    const snippet = buildSnippet(
      'The government said displaced families would get help.',
      new Highlighter(terms, []),
      30,
    );
    expect(snippet.highlights).toEqual([
      { start: 4, length: 10, term: 'gov', kind: 'prefix' },
      { start: 20, length: 9, term: 'dsplaced', kind: 'typo' },
    ]);
  });

  it('marks a phrase only where it occurs, keeping its words in one window', () => {
    const text = `${'Filler words here. '.repeat(12)}Many are internally displaced now. Displaced alone is not the phrase.`;
    const snippet = buildSnippet(text, new Highlighter([], [{ forms: ['internally', 'displaced'], clause: 0 }]), 10);
    expect(snippet.html).toContain('<mark>internally</mark> <mark>displaced</mark>');
    expect(snippet.html).not.toContain('<mark>Displaced</mark>');
  });

  it('prefers the window holding more distinct query terms, then the tighter one', () => {
    const text =
      'Haiti is mentioned here early. ' +
      'Other words fill the middle of this paragraph again and again. '.repeat(4) +
      'Haiti and Mexico meet at the end of the text.';
    const terms = [...exactAndStem('haiti', 0), ...exactAndStem('mexico', 1)];
    const snippet = buildSnippet(text, new Highlighter(terms, []), 10);
    expect(snippet.html).toBe('…<mark>Haiti</mark> and <mark>Mexico</mark> meet at the end of the text.');
  });

  it('escapes the text before marking it: markup in a document comes back as text', () => {
    const text = 'Tom & Jerry said "<script>alert(1)</script>" and it\'s <img src=x onerror=alert(1)> news';
    const snippet = buildSnippet(text, new Highlighter(exactAndStem('news'), []), 80);
    expect(snippet.html).toBe(
      'Tom &amp; Jerry said &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; and it&#39;s &lt;img src=x onerror=alert(1)&gt; <mark>news</mark>',
    );
  });

  it('returns a short paragraph whole, with no ellipsis', () => {
    const snippet = buildSnippet('Short one.', null, 30);
    expect(snippet).toEqual({
      text: 'Short one.',
      html: 'Short one.',
      highlights: [],
      croppedStart: false,
      croppedEnd: false,
    });
  });

  it('keeps html equal to text once marks are removed and entities decoded, with sorted, disjoint, in-bounds highlights (property)', () => {
    const word = fc.constantFrom(
      'displaced',
      'Displacement',
      '<b>',
      '&amp;',
      '"q"',
      "it's",
      'café',
      'cafe\u0301',
      '🇭🇹',
      'שלום',
      'مرحبا',
      'news',
      'new',
      'U.S.',
      '1.3',
      'x',
    );
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 120 }), fc.integer({ min: 10, max: 80 }), (words, crop) => {
        const text = words.join(' ');
        const terms = [...exactAndStem('displaced', 0), ...exactAndStem('news', 1), ...exactAndStem('cafe', 2)];
        const snippet = buildSnippet(text, new Highlighter(terms, []), crop);
        expect(unescapeHtml(snippet.html)).toBe(snippet.text);
        let end = 0;
        for (const h of snippet.highlights) {
          expect(h.start).toBeGreaterThanOrEqual(end);
          expect(h.start + h.length).toBeLessThanOrEqual(snippet.text.length);
          end = h.start + h.length;
        }
        expect((snippet.html.match(/<mark>/g) ?? []).length).toBe(snippet.highlights.length);
        expect(snippet.html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"']/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderHtml', () => {
  it('escapes & < > " \' and adds no tag but mark', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(renderHtml('a<b>c', [{ start: 2, length: 1 }])).toBe('a&lt;<mark>b</mark>&gt;c');
  });
});

describe('Highlighter stem matching', () => {
  it('marks words whose Porter stem equals a matched stem, short words and y/ies endings included', () => {
    const terms = [...exactAndStem('ies', 0), ...exactAndStem('happy', 1), ...exactAndStem('agreed', 2)];
    const snippet = buildSnippet('ies happiness happily agree agreement happy', new Highlighter(terms, []), 30);
    // Porter: happy → happi = stem(happiness), but happily → happili; agreed → agre = stem(agree), agreement stays.
    expect(snippet.html).toBe(
      '<mark>ies</mark> <mark>happiness</mark> happily <mark>agree</mark> agreement <mark>happy</mark>',
    );
    expect(snippet.highlights.map((h) => h.kind)).toEqual(['exact', 'stem', 'stem', 'exact']);
  });
});
