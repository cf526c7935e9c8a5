/**
 * Parsing is linear in the input, for every format: adversarial inputs (runs of
 * Markdown marks, brackets, quotes, signatures…) are timed at growing sizes and
 * against ordinary prose of the same size; and a fuzz test per format checks
 * that any input gives articles and problems, never an exception.
 *
 * Timing assertions are ratios measured in one run (best of a few tries), with
 * wide margins: at these sizes quadratic parsing is 64× slower for 8× the input,
 * linear parsing about 8×; the tests fail above 30×.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArticleFile } from '../src/corpus/parse-article-file.js';
import { collapseWhitespace } from '../src/corpus/split-paragraphs.js';
import { stripMarkdown } from '../src/corpus/strip-markdown.js';

/** The regular expressions `stripMarkdown` replaced: quadratic, but the reference for its output. */
function stripMarkdownByRegex(paragraph: string): string {
  return paragraph
    .replace(/^#{1,6}\s+/, '')
    .replace(/\s+#+\s*$/, '')
    .replace(/!?\[([^\]]*)\]\([^)\s]*(?:\s+"[^"]*")?\)/g, '$1')
    .replace(/(^|[^\w*])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\2(?![\w*])/g, '$1$3');
}

const MARKDOWN_CHARS = ['*', '_', 'a', 'b', ' ', '[', ']', '(', ')', '!', '"', '#', '\n', '\u2028', '\t', '1'];

/** Milliseconds to parse `text` as `name`, the best of `tries` runs. */
function parseTime(name: string, text: string, tries = 3): number {
  const bytes = Buffer.from(text);
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    const started = performance.now();
    parseArticleFile(name, bytes);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Where a repeated pattern goes in each format, so that it reaches that format's parser. */
const FORMATS: Record<string, (filler: string) => string> = {
  'a.txt': (filler) => `Headline\n\n${filler}\n`,
  'a.md': (filler) => `---\ntitle: T\n---\n${filler}\n`,
  'front.md': (filler) =>
    `---\ntitle: ${filler.replace(/\n/g, ' ')}\ntags: [${filler.replace(/[\n\]]/g, ' ')}]\n---\nBody.\n`,
  'a.json': (filler) => JSON.stringify({ id: 'x', title: 'T', body: filler }),
  'a.ndjson': (filler) => JSON.stringify({ id: 'x', title: 'T', body: filler }) + '\n',
};

/** Patterns that made the old regular expressions quadratic, and some neighbours. */
const ADVERSARIAL = [
  '*a ',
  '_a ',
  '**a ',
  ' *a',
  '[',
  '![',
  '[a](',
  '](',
  'reuter ',
  ' ',
  ' #',
  '"',
  "'",
  '[a, ',
  'a.',
  ' x',
];

function repeatTo(pattern: string, size: number): string {
  return pattern.repeat(Math.ceil(size / pattern.length)).slice(0, size);
}

describe('stripMarkdown', () => {
  it('gives what the old regular expressions gave, on any mix of Markdown marks', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...MARKDOWN_CHARS), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(stripMarkdown(text)).toBe(stripMarkdownByRegex(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives what the old regular expressions gave on real-looking paragraphs', () => {
    for (const text of [
      '## Heading ##',
      'A [link](https://x.org "T") and ![img](a.png)',
      '**bold**, *it*, __b__ and _i_ and ***all***',
      'snake_case_name and 2 * 3 * 4',
      'A [broken link](no close and *half emphasis',
      '[a [b](c)](d) then **x** y** z',
    ]) {
      expect(stripMarkdown(text)).toBe(stripMarkdownByRegex(text));
    }
  });
});

describe('collapseWhitespace', () => {
  it('gives what one replace of every whitespace run gave, also past its join batches', () => {
    // Every character \s matches, and two look-alikes it does not (U+180E, U+200B).
    const spaces = [
      ' ',
      '  ',
      '\t',
      '\n',
      '\v',
      '\f',
      '\r',
      '\u00a0',
      '\u1680',
      '\u2000',
      '\u200a',
      '\u2028',
      '\u2029',
    ];
    const chunk = fc.constantFrom(
      'a',
      'b',
      'word',
      '\u180e',
      '\u200b',
      '\u202f',
      '\u205f',
      '\u3000',
      '\ufeff',
      ...spaces,
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(collapseWhitespace(text)).toBe(text.replace(/\s+/g, ' ').trim());
      }),
      { numRuns: 2000 },
    );
    const tabs = 'a\t'.repeat(20_000);
    expect(collapseWhitespace(tabs)).toBe(tabs.replace(/\s+/g, ' ').trim());
  });
});

describe('parsing time grows linearly', () => {
  it('parses a 200 kB Markdown file of `*a *a *a …` in a small multiple of plain prose of that size', {
    timeout: 60_000,
  }, () => {
    const size = 200_000;
    const prose = parseTime(
      'a.md',
      FORMATS['a.md']!(repeatTo('The council met on Tuesday to discuss the budget. ', size)),
    );
    const hostile = parseTime('a.md', FORMATS['a.md']!(repeatTo('*a ', size)));
    // Linear: a few times prose (more marks to look at); quadratic was about 1,000 times (29 s).
    expect(hostile / Math.max(prose, 1)).toBeLessThan(25);
  });

  it.each(Object.keys(FORMATS))(
    'keeps %s linear on every adversarial pattern (×8 input, well under ×64 time)',
    { timeout: 120_000 },
    (name) => {
      const make = FORMATS[name]!;
      for (const pattern of ADVERSARIAL) {
        parseTime(name, make(repeatTo(pattern, 4_000)), 1); // warm-up: the first calls also compile
        const small = parseTime(name, make(repeatTo(pattern, 32_000)));
        const large = parseTime(name, make(repeatTo(pattern, 256_000)));
        // Linear growth gives about 8; quadratic 64. A floor of 4 ms keeps tiny times from making noise.
        expect(large / Math.max(small, 4), `pattern ${JSON.stringify(pattern)}`).toBeLessThan(30);
      }
    },
  );

  it('keeps any short repeated pattern linear in Markdown (property)', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...MARKDOWN_CHARS, 'reuter', ', and '), { minLength: 1, maxLength: 4 }),
        (parts) => {
          const pattern = parts.join('');
          const small = parseTime('a.md', FORMATS['a.md']!(repeatTo(pattern, 8_000)), 2);
          const large = parseTime('a.md', FORMATS['a.md']!(repeatTo(pattern, 64_000)), 2);
          expect(large / Math.max(small, 4)).toBeLessThan(30);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('fuzzing each format', () => {
  const checkResult = (name: string, text: string): void => {
    const { articles, problems } = parseArticleFile(name, Buffer.from(text));
    for (const article of articles) {
      expect(article.title).not.toBe('');
      expect(article.paragraphs.length).toBeGreaterThan(0);
      for (const paragraph of article.paragraphs) expect(paragraph.trim()).toBe(paragraph);
    }
    for (const problem of problems) {
      expect(problem.file).toBe(name);
      expect(typeof problem.message).toBe('string');
    }
  };
  const syntax = (chars: string[]) =>
    fc
      .array(fc.oneof(fc.constantFrom(...chars), fc.string({ maxLength: 3 })), { maxLength: 60 })
      .map((a) => a.join(''));

  it.each([
    [
      'a.txt',
      ['\n', '\n\n', ' ', 'date ', '2020-01-01', 'By ', 'A', '.', '(CNN) — ', 'REUTER', '©', 'The-CNN-Wire', '"'],
    ],
    [
      'a.md',
      ['---\n', '\n', 'title: ', 'tags: [', ']', '- ', '"', "'", '#', '*', '_', '[', '](', ')', 'date: ', '...\n'],
    ],
    ['a.json', ['{', '}', '[', ']', '"id"', '"body"', '"title"', ':', ',', '"', '\\', 'null', '1', '"paragraphs"']],
    ['a.ndjson', ['{', '}', '\n', '"id":"a"', '"body":"x"', ',', '"', '\\', 'null', '[', ']']],
  ])('never throws on %s input built from its syntax', (name, chars) => {
    fc.assert(
      fc.property(syntax(chars as string[]), (text) => checkResult(name as string, text)),
      { numRuns: 500 },
    );
  });
});
