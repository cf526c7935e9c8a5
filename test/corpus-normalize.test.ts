import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyCorpusPath } from '../src/corpus/classify-corpus-path.js';
import { deriveTitle } from '../src/corpus/derive-title.js';
import { normalizeDate } from '../src/corpus/normalize-date.js';
import { parseAuthors, parseByline } from '../src/corpus/parse-byline.js';
import { parseDateline } from '../src/corpus/parse-dateline.js';
import { parseFrontMatter } from '../src/corpus/parse-front-matter.js';
import { stripMarkdown } from '../src/corpus/parse-markdown-article.js';
import { MAX_PARAGRAPH_LENGTH, splitLongParagraph, splitParagraphs } from '../src/corpus/split-paragraphs.js';
import { parseArticleFile } from '../src/corpus/parse-article-file.js';
import { stripBoilerplate } from '../src/corpus/strip-boilerplate.js';

describe('normalizeDate', () => {
  it.each([
    ['2025-07-25', '2025-07-25'],
    [' 2025-07-25 ', '2025-07-25'],
    ['1987-02-26T15:01:01Z', '1987-02-26T15:01:01Z'],
    ['2024-05-04T09:30:00+02:00', '2024-05-04T07:30:00Z'],
    ['2024-05-04T23:30-0500', '2024-05-05T04:30:00Z'],
    ['2024-05-04 09:30:15.250', '2024-05-04T09:30:15Z'],
    ['July 25, 2025', '2025-07-25'],
    ['Jul 25 2025', '2025-07-25'],
    ['25 July 2025', '2025-07-25'],
    ['2024-02-29', '2024-02-29'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeDate(input)).toBe(expected);
  });

  it.each(['2023-02-29', '2025-13-01', '2025-07-25T24:00:00Z', 'next tuesday', '25/07/2025', 'Smarch 3, 2025', ''])(
    'gives null for %j',
    (input) => {
      expect(normalizeDate(input)).toBeNull();
    },
  );
});

describe('parseByline', () => {
  it.each([
    ['By Michael Rios', ['Michael Rios']],
    ['By A and B', ['A', 'B']],
    ['A, B and C', ['A', 'B', 'C']],
    ['by A, B, and C', ['A', 'B', 'C']],
    ['A & B', ['A', 'B']],
    ['  By  ', []],
    ['Ann Lee and Ann Lee', ['Ann Lee']],
  ])('reads %j as %j', (byline, names) => {
    expect(parseByline(byline)).toEqual(names);
  });

  it('does not take "By" inside a name for the prefix', () => {
    expect(parseByline('Byron Hale')).toEqual(['Byron Hale']);
  });

  it('splits each list item too and never returns empty names', () => {
    expect(parseAuthors(['By A and B', ' ', 'C'])).toEqual(['A', 'B', 'C']);
  });
});

describe('parseDateline', () => {
  it.each([
    ['(CNN) — Haiti has sent', 'CNN', 'Haiti has sent'],
    ['WASHINGTON (Reuters) - The Senate', 'Reuters', 'The Senate'],
    ['LONDON, March 3 (AP) -- Prices', 'AP', 'Prices'],
    ['PORT-AU-PRINCE (CNN) – Gangs', 'CNN', 'Gangs'],
  ])('finds the source in %j', (paragraph, source, rest) => {
    const dateline = parseDateline(paragraph);
    expect(dateline?.source).toBe(source);
    expect(paragraph.slice(dateline?.length)).toBe(rest);
  });

  it.each(['(and he meant it) - yes', 'The (CNN) report - said', 'Haiti (CNN)— no space'])(
    'finds none in %j',
    (paragraph) => {
      expect(parseDateline(paragraph)).toBeNull();
    },
  );
});

describe('deriveTitle', () => {
  it('takes the first sentence without the dateline', () => {
    expect(deriveTitle('(CNN) — First sentence here. Second one.')).toBe('First sentence here.');
  });

  it('does not end a sentence at an initialism or a title such as "Mr."', () => {
    expect(deriveTitle('Mr. Smith met U.S. officials on Monday. Then left.')).toBe(
      'Mr. Smith met U.S. officials on Monday.',
    );
  });

  it('cuts a long sentence at a word boundary and marks the cut with "…"', () => {
    const title = deriveTitle(`${'alpha '.repeat(30)}omega.`);
    expect(title).toBe(`${'alpha '.repeat(19)}alpha…`);
    expect(title.length).toBe(120);
  });
});

describe('stripBoilerplate', () => {
  it('drops a wire tag and copyright lines at the end, in any order', () => {
    expect(
      stripBoilerplate([
        'Story.',
        'The-CNN-Wire',
        '™ & © 2025 Cable News Network, Inc., a Warner Bros. Discovery Company. All rights reserved.',
      ]),
    ).toEqual(['Story.']);
    expect(stripBoilerplate(['Story.', '© 2024 Example Ltd', 'The-Reuters-Wire', 'Copyright 2024 Wire'])).toEqual([
      'Story.',
    ]);
  });

  it('keeps boilerplate-like text that is followed by real paragraphs', () => {
    expect(stripBoilerplate(['The-CNN-Wire', 'Story.'])).toEqual(['The-CNN-Wire', 'Story.']);
  });

  it.each([
    ['Prices rose. REUTER', 'Prices rose.'],
    ['Prices rose. reuter^M', 'Prices rose.'],
    ['Prices rose. REUTER...^M', 'Prices rose.'],
    ['Net 1.2 mln vs 1.0 mln REUTER', 'Net 1.2 mln vs 1.0 mln'],
    ['The mill will close, Noranda said. Reuter', 'The mill will close, Noranda said.'],
    ['The fee was cut. REUTERS', 'The fee was cut.'],
    ['Trading was thin. REUTER11:43/VB', 'Trading was thin.'],
  ])('strips the Reuters signature from %j', (paragraph, expected) => {
    expect(stripBoilerplate(['First.', paragraph])).toEqual(['First.', expected]);
  });

  it.each(['the spokesman told Reuters.', 'he said in a statement to Reuter', 'Reuters.'])(
    'keeps %j, where Reuter(s) is part of the sentence',
    (paragraph) => {
      expect(stripBoilerplate(['First.', paragraph])).toEqual(['First.', paragraph]);
    },
  );

  it('drops a signature that is a paragraph of its own', () => {
    expect(stripBoilerplate(['First.', 'REUTER'])).toEqual(['First.']);
  });
});

describe('parseFrontMatter', () => {
  it('reads quoted values, inline and block lists, and skips comments', () => {
    const result = parseFrontMatter(
      [
        '---',
        'Title: "Say \\"hi\\""',
        "note: 'it''s'",
        'plain: C# news # a comment',
        'tags: [a, "b, c", \'d\']',
        'authors:',
        '  - Ann',
        '  - "Bo"',
        '# comment',
        'empty:',
        '---',
        'Body',
      ].join('\n'),
    );
    expect(result.problems).toEqual([]);
    expect(result.data).toEqual({
      title: 'Say "hi"',
      note: "it's",
      plain: 'C# news',
      tags: ['a', 'b, c', 'd'],
      authors: ['Ann', 'Bo'],
      empty: [],
    });
    expect(result.body).toBe('Body');
    expect(result.bodyLine).toBe(12);
  });

  it('reports an unclosed quote with its line', () => {
    expect(parseFrontMatter('---\ntitle: "open\n---\n').problems).toEqual([
      { line: 2, message: 'front matter: unclosed quote for "title"' },
    ]);
  });

  it('treats a text without a first "---" line as all body', () => {
    expect(parseFrontMatter('title: x\n\nBody')).toMatchObject({ data: {}, body: 'title: x\n\nBody', problems: [] });
  });
});

describe('stripMarkdown', () => {
  it.each([
    ['## Heading ##', 'Heading'],
    ['A [link](https://x.org "T") and ![img](a.png)', 'A link and img'],
    ['**bold**, *it*, __b__ and _i_', 'bold, it, b and i'],
    ['snake_case_name and 2 * 3 * 4', 'snake_case_name and 2 * 3 * 4'],
  ])('turns %j into %j', (input, expected) => {
    expect(stripMarkdown(input)).toBe(expected);
  });
});

describe('classifyCorpusPath', () => {
  it.each([
    ['a.txt', 'article'],
    ['a.MD', 'article'],
    ['feed.jsonl', 'article'],
    ['.gitkeep', 'hidden'],
    ['.git', 'hidden'],
    ['a.txt~', 'temp'],
    ['.#a.txt', 'temp'],
    ['.a.txt.swp', 'temp'],
    ['a.txt.swo', 'temp'],
    ['#a.txt#', 'temp'],
    ['a.pdf', 'unsupported'],
    ['LICENSE', 'unsupported'],
  ])('classifies %j as %s', (name, kind) => {
    expect(classifyCorpusPath(name).kind).toBe(kind);
  });
});

describe('splitParagraphs', () => {
  it('always gives trimmed, non-empty paragraphs without line breaks or whitespace runs', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\r', '\t', '\u00a0', '.') }), (input) => {
        for (const paragraph of splitParagraphs(input)) {
          expect(paragraph).not.toBe('');
          expect(paragraph).toBe(paragraph.trim());
          expect(paragraph).not.toMatch(/\s\s|[\n\r\t]/);
        }
      }),
    );
  });

  it('keeps the words of the text in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\r') }), (input) => {
        expect(splitParagraphs(input).join(' ').split(' ').filter(Boolean)).toEqual(input.split(/\s+/).filter(Boolean));
      }),
    );
  });
});

describe('splitLongParagraph', () => {
  it('keeps a short paragraph whole and splits a long one after sentence ends, each piece within the limit', () => {
    expect(splitLongParagraph('Short.', 100)).toEqual(['Short.']);
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} ends here.`);
    const pieces = splitLongParagraph(sentences.join(' '), 200);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(200);
      expect(piece).toMatch(/^Sentence number \d+ ends here\.( Sentence number \d+ ends here\.)*$/);
    }
    expect(pieces.join(' ')).toBe(sentences.join(' '));
  });

  it('falls back to a space, then to a hard cut that never splits a surrogate pair', () => {
    expect(splitLongParagraph('aaaa bbbb cccc dddd', 10)).toEqual(['aaaa bbbb', 'cccc dddd']);
    const emoji = '😀'.repeat(10); // 20 code units, no space
    const pieces = splitLongParagraph(emoji, 5);
    expect(pieces.join('')).toBe(emoji);
    for (const piece of pieces) expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it('is applied to every article: a body without paragraph breaks becomes several paragraphs', () => {
    const body = Array.from({ length: 600 }, (_, i) => `Line ${i} of a wire story without blank lines.`).join(' ');
    const { articles } = parseArticleFile('wire.json', Buffer.from(JSON.stringify({ id: 'w', title: 'T', body })));
    expect(articles[0]!.paragraphs.length).toBeGreaterThan(5);
    for (const p of articles[0]!.paragraphs) expect(p.length).toBeLessThanOrEqual(MAX_PARAGRAPH_LENGTH);
  });
});
